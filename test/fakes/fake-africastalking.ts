/**
 * Fake Africa's Talking bulk SMS API (https://developers.africastalking.com/docs/sms/sending/bulk):
 * `POST /version1/messaging`, header `apiKey`, form `username`, `to` (comma-separated
 * numbers), `message`, optional `from`. Answers 201 with
 * `{ SMSMessageData: { Message, Recipients: [{ statusCode: 101, number, status: 'Success', cost, messageId }] } }`.
 * The real API answers XML unless `Accept: application/json`; the fake always answers
 * JSON but records `accept` so a test can assert the header was sent.
 * A wrong `apiKey`/`username` → 401 with AT's plain-text body.
 *
 * `AFRICASTALKING_API_BASE_URL` = `fake.url`.
 */
import { randomBytes } from 'node:crypto';
import { FailureQueue, Waiters, parseForm, sendJson, startHttpServer } from './http-fake.ts';

/** One accepted send request. */
export interface AtSentMessage {
  username: string;
  /** `to` as sent (comma-separated when several). */
  to: string;
  recipients: string[];
  message: string;
  from: string | undefined;
  accept: string | undefined;
  /** `ATXid_…` per recipient, in order. */
  messageIds: string[];
}

export interface FakeAfricasTalking {
  url: string;
  /** Accepted send requests (201), in order. */
  messages: AtSentMessage[];
  /** Every request that reached `/version1/messaging`, including rejected ones. */
  attempts: number;
  /** Accept `username` with header `apiKey: apiKey`. */
  addAccount(username: string, apiKey: string): void;
  /** Answer the next `count` requests with HTTP `status`, recording nothing. */
  failNext(status: number, count?: number): void;
  /** Resolves once `n` send requests were accepted; rejects after `timeoutMs` (default 5000). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Forget messages, attempts and pending failures (accounts stay). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeAfricasTalkingOptions {
  /** Accounts accepted from the start: username → API key. */
  accounts?: Record<string, string>;
}

function plain(res: import('node:http').ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Start a fake Africa's Talking on 127.0.0.1 (random port). */
export async function createFakeAfricasTalking(
  opts: FakeAfricasTalkingOptions = {},
): Promise<FakeAfricasTalking> {
  const accounts = new Map(Object.entries(opts.accounts ?? {}));
  const messages: AtSentMessage[] = [];
  const failures = new FailureQueue();
  const waiters = new Waiters(() => messages.length);
  let attempts = 0;

  const server = await startHttpServer((req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'POST' || url.pathname !== '/version1/messaging')
      return plain(res, 404, 'Not Found');
    attempts++;
    const form = parseForm(raw);
    const apiKey = req.headers.apikey as string | undefined;
    if (!form.username || accounts.get(form.username) !== apiKey) {
      return plain(res, 401, 'The supplied authentication is invalid');
    }
    const failWith = failures.take();
    if (failWith !== undefined) return plain(res, failWith, `Fake failure ${failWith}`);
    if (!form.to || !form.message) return plain(res, 400, 'Request is missing required form field');

    const recipients = form.to
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const messageIds = recipients.map(() => `ATXid_${randomBytes(16).toString('hex')}`);
    messages.push({
      username: form.username,
      to: form.to,
      recipients,
      message: form.message,
      from: form.from || undefined,
      accept: req.headers.accept,
      messageIds,
    });
    waiters.notify();
    const cost = 'KES 0.8000';
    sendJson(res, 201, {
      SMSMessageData: {
        Message: `Sent to ${recipients.length}/${recipients.length} Total Cost: KES ${(0.8 * recipients.length).toFixed(4)}`,
        Recipients: recipients.map((number, i) => ({
          statusCode: 101,
          number,
          status: 'Success',
          cost,
          messageId: messageIds[i],
        })),
      },
    });
  });

  return {
    url: server.url,
    messages,
    get attempts() {
      return attempts;
    },
    addAccount: (username, apiKey) => void accounts.set(username, apiKey),
    failNext: (status, count = 1) => failures.failNext(status, count),
    waitFor: (n, timeoutMs) => waiters.waitFor(n, timeoutMs, "Africa's Talking messages"),
    reset: () => {
      messages.length = 0;
      attempts = 0;
      failures.clear();
    },
    close: server.close,
  };
}
