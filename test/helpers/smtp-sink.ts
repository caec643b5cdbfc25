/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1:random that accepts every message
 * and keeps it, for tests of what we send by email. Point the app at it with
 * `SMTP_URL: sink.url` (plain SMTP, no TLS, any AUTH accepted).
 *
 * Messages are kept raw (RFC 5322 source); `text` is the body with quoted-printable soft line
 * breaks and `=XX` escapes undone (nodemailer encodes long lines that way), enough to find links.
 * No MIME parser is installed (mailparser is not a dependency), so multipart bodies are not split.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** Decoded body text (headers stripped). */
  text: string;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:PORT */
  url: string;
  messages: SinkMessage[];
  /** Resolve with the first message to `to` (case-insensitive) arriving after `since` messages. */
  waitFor(to: string, opts?: { timeoutMs?: number; since?: number; match?: RegExp }): Promise<SinkMessage>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function parse(raw: string, from: string, to: string[]): SinkMessage {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split).replace(/^\r?\n\r?\n/, '') : '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^subject:\s*(.*)$/im.exec(unfolded)?.[1]?.trim() ?? '';
  const qp = /^content-transfer-encoding:\s*quoted-printable/im.test(unfolded);
  const b64 = /^content-transfer-encoding:\s*base64/im.test(unfolded);
  const text = qp ? decodeQuotedPrintable(body) : b64 ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { from, to, raw, subject, text: text.replace(/\r\n/g, '\n') };
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'test' }),
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push(parse(Buffer.concat(chunks).toString('utf8'), from, session.envelope.rcptTo.map((r) => r.address)));
        for (const w of waiters) w();
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(to, { timeoutMs = 10_000, since = 0, match } = {}) {
      const find = () =>
        messages.slice(since).find((m) => m.to.some((a) => a.toLowerCase() === to.toLowerCase()) && (!match || match.test(m.text)));
      return new Promise<SinkMessage>((resolve, reject) => {
        const check = () => {
          const m = find();
          if (!m) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} within ${timeoutMs} ms (got ${messages.length}: ${messages.map((m) => m.to.join(',')).join('; ')})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
