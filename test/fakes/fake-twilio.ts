/**
 * Fake Twilio Programmable Messaging REST API
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form `To`, `From`, `Body`,
 * HTTP Basic auth `AccountSid:AuthToken`. Answers 201 with the Message resource JSON
 * (`sid` `SM` + 32 hex, `status: 'queued'`, …); errors use Twilio's
 * `{ code, message, more_info, status }` (20003 bad credentials, 2160x missing fields).
 *
 * `TWILIO_API_BASE_URL` = `fake.url`.
 */
import { randomBytes } from 'node:crypto';
import { FailureQueue, Waiters, parseForm, sendJson, startHttpServer } from './http-fake.ts';

/** One accepted message. */
export interface TwilioSentMessage {
  accountSid: string;
  to: string;
  from: string;
  body: string;
  /** The `SM…` sid answered. */
  sid: string;
}

export interface FakeTwilio {
  url: string;
  /** Accepted messages (201), in order. */
  messages: TwilioSentMessage[];
  /** Every request that reached the Messages route, including rejected ones. */
  attempts: number;
  /** Accept `sid` with Basic auth password `authToken`. */
  addAccount(sid: string, authToken: string): void;
  /** Answer the next `count` requests with `status` (Twilio error JSON), recording nothing; status 0 lets one through (to fail a later one). */
  failNext(status: number, count?: number): void;
  /** Resolves once `n` messages were accepted; rejects after `timeoutMs` (default 5000). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Forget messages, attempts and pending failures (accounts stay). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  /** Accounts accepted from the start: sid → auth token. */
  accounts?: Record<string, string>;
}

function twilioError(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

const ERROR_CODES: Record<number, [number, string]> = {
  400: [21211, "The 'To' number is not a valid phone number."],
  401: [20003, 'Authenticate'],
  404: [20404, 'The requested resource was not found'],
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

const ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

/** Start a fake Twilio on 127.0.0.1 (random port). */
export async function createFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accounts = new Map(Object.entries(opts.accounts ?? {}));
  const messages: TwilioSentMessage[] = [];
  const failures = new FailureQueue();
  const waiters = new Waiters(() => messages.length);
  let attempts = 0;

  const server = await startHttpServer((req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = req.method === 'POST' ? ROUTE.exec(url.pathname) : null;
    if (!m)
      return sendJson(res, 404, twilioError(20404, 'The requested resource was not found', 404));
    attempts++;
    const accountSid = decodeURIComponent(m[1]!);
    const [user, pass] = Buffer.from(
      (req.headers.authorization ?? '').replace(/^Basic /, ''),
      'base64',
    )
      .toString('utf8')
      .split(':');
    if (user !== accountSid || !accounts.has(accountSid) || accounts.get(accountSid) !== pass) {
      return sendJson(res, 401, twilioError(20003, 'Authenticate', 401), {
        'www-authenticate': 'Basic realm="Twilio API"',
      });
    }
    const failWith = failures.take();
    if (failWith !== undefined && failWith !== 0) {
      const [code, message] = ERROR_CODES[failWith] ?? [failWith * 100, `Fake failure ${failWith}`];
      return sendJson(res, failWith, twilioError(code, message, failWith));
    }
    const form = parseForm(raw);
    if (!form.To)
      return sendJson(res, 400, twilioError(21604, "A 'To' phone number is required.", 400));
    if (!form.From)
      return sendJson(res, 400, twilioError(21603, "A 'From' phone number is required.", 400));
    if (!form.Body) return sendJson(res, 400, twilioError(21602, 'Message body is required.', 400));

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
    messages.push({ accountSid, to: form.To, from: form.From, body: form.Body, sid });
    waiters.notify();
    sendJson(res, 201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: form.Body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form.From,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(form.Body.length / 160))),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: form.To,
      uri,
    });
  });

  return {
    url: server.url,
    messages,
    get attempts() {
      return attempts;
    },
    addAccount: (sid, token) => void accounts.set(sid, token),
    failNext: (status, count = 1) => failures.failNext(status, count),
    waitFor: (n, timeoutMs) => waiters.waitFor(n, timeoutMs, 'Twilio messages'),
    reset: () => {
      messages.length = 0;
      attempts = 0;
      failures.clear();
    },
    close: server.close,
  };
}
