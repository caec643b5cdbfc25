/**
 * Shared pieces of the provider fakes: a real `node:http` server on 127.0.0.1:0, a
 * queue of scripted behaviours with a default reply, an SSE writer, form parsing,
 * failure injection and "wait until n requests arrived".
 *
 * The LLM fakes (`fake-gemini.ts`, `fake-openai.ts`) only describe their wire format
 * (`LlmWire`); `startLlmFake` does routing, recording, delays, hangs, errors,
 * malformed bodies and cut streams for both.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpFakeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Stops listening and destroys open sockets (including hanging requests). */
  close(): Promise<void>;
}

export type FakeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void | Promise<void>;

/** Start a server whose handler gets the whole request body as text. A handler throw → 500. */
export async function startHttpServer(handler: FakeHandler): Promise<HttpFakeServer> {
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(parts).toString('utf8'))).catch(
        (err: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { error: String(err) });
          else res.destroy();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** `application/x-www-form-urlencoded` body → object (last value wins). */
export function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/** Begin an SSE response (200, `text/event-stream`) and flush the headers. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

/** One SSE event `data: <json or raw string><eol><eol>`; calls `done` once written. */
export function writeSse(res: ServerResponse, data: unknown, eol: string, done?: () => void): void {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(`data: ${payload}${eol}${eol}`, done);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * FIFO of scripted behaviours; when empty, `reply(req)` decides. `next` consumes one.
 */
export class BehaviourQueue<B, R> {
  private queue: B[] = [];
  constructor(private reply: (req: R) => B) {}
  script(...behaviours: B[]): void {
    this.queue.push(...behaviours);
  }
  setReply(fn: (req: R) => B): void {
    this.reply = fn;
  }
  clear(): void {
    this.queue = [];
  }
  get pending(): number {
    return this.queue.length;
  }
  next(req: R): B {
    return this.queue.length ? this.queue.shift()! : this.reply(req);
  }
}

/** `failNext(status, count)` support for the SMS fakes. */
export class FailureQueue {
  private statuses: number[] = [];
  failNext(status: number, count = 1): void {
    for (let i = 0; i < count; i++) this.statuses.push(status);
  }
  take(): number | undefined {
    return this.statuses.shift();
  }
  clear(): void {
    this.statuses = [];
  }
}

/**
 * Resolves once `count()` ≥ n (re-checked on every `notify()`); rejects after timeoutMs
 * with a message naming what was awaited.
 */
export class Waiters {
  private waiting = new Set<() => void>();
  constructor(private readonly count: () => number) {}
  notify(): void {
    for (const check of [...this.waiting]) check();
  }
  waitFor(n: number, timeoutMs = 5000, what = 'requests'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.count() < n) return;
        clearTimeout(timer);
        this.waiting.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs}ms waiting for ${n} ${what} (got ${this.count()})`,
          ),
        );
      }, timeoutMs);
      this.waiting.add(check);
      check();
    });
  }
}

// ---------------------------------------------------------------- LLM fakes

/**
 * What the fake does with one request. Exactly one kind applies, checked in this order:
 * `hang` (never answers until close), `status` (HTTP error in the provider's error
 * format, `retryAfter` seconds → `Retry-After`), `malformed` (200 with invalid JSON),
 * `cutBeforeFirstToken` / `cutAfterFirstToken` (socket destroyed), else a reply of
 * `text` and/or `toolCalls`. `delayMs` waits before answering (any kind).
 */
export interface LlmBehaviour {
  text?: string;
  /** Exact stream pieces for `text`; default: split into words. */
  chunks?: string[];
  /** `rawArgs` (OpenAI fakes only) replaces the JSON-encoded `args` verbatim, e.g. to send broken JSON. */
  toolCalls?: Array<{ name: string; args: Record<string, unknown>; id?: string; rawArgs?: string }>;
  /** Reported usage; default input 10, output = number of pieces. */
  usage?: { input: number; output: number };
  status?: number;
  retryAfter?: number | string;
  message?: string;
  hang?: boolean;
  malformed?: boolean;
  cutBeforeFirstToken?: boolean;
  cutAfterFirstToken?: boolean;
  delayMs?: number;
  /** Gemini fake: the candidate's finishReason (e.g. "SAFETY" for a safety-blocked, empty answer); default STOP. */
  finishReason?: string;
}

/** A normalised reply handed to a wire format. */
export interface LlmReply {
  text: string;
  pieces: string[];
  /** `id` only when the behaviour gave one (OpenAI fakes make one up, Gemini omits it). */
  toolCalls: Array<{ id?: string; name: string; args: Record<string, unknown>; rawArgs?: string }>;
  usage: { input: number; output: number };
  finishReason?: string;
}

/** A provider's wire format, as `startLlmFake` needs it. */
export interface LlmWire<R> {
  /** Route + parse one request; `null` → 404, `{ status, body }` → that error, else record it. */
  route(
    req: IncomingMessage,
    url: URL,
    body: unknown,
  ): { record: R; stream: boolean } | { status: number; body: unknown } | null;
  errorBody(status: number, message: string, retryAfterSeconds?: number): unknown;
  completion(reply: LlmReply, rec: R): unknown;
  /** SSE payloads in order; the first carries the first token. */
  chunks(reply: LlmReply, rec: R): unknown[];
  /** Gemini uses `\r\n`, OpenAI `\n`. */
  sseEol: string;
  /** Final raw SSE payload (OpenAI `[DONE]`). */
  sseDone?: string;
}

export interface LlmFake<R> {
  url: string;
  /** Every routed request, parsed, in arrival order (including failed ones). */
  requests: R[];
  /** Queue behaviours, one per future request. */
  script(...behaviours: LlmBehaviour[]): void;
  /** Replace the default reply used when the script is empty. */
  setReply(fn: (req: R) => LlmBehaviour): void;
  /** Forget requests and the script; restore the default reply given at start. */
  reset(): void;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Split text into ≥2 stream pieces when possible (words, keeping spaces). */
export function splitPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  if (words.length >= 2 || text.length < 2) return words.length ? words : text ? [text] : [];
  const mid = Math.ceil(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}

function normalise(b: LlmBehaviour): LlmReply {
  const text = b.text ?? '';
  const pieces = b.chunks ?? splitPieces(text);
  return {
    text,
    pieces,
    toolCalls: b.toolCalls ?? [],
    ...(b.finishReason ? { finishReason: b.finishReason } : {}),
    usage: b.usage ?? { input: 10, output: Math.max(1, pieces.length) },
  };
}

/** Run an LLM fake for a wire format; `reply` is the default when nothing is scripted. */
export async function startLlmFake<R>(
  wire: LlmWire<R>,
  reply: (req: R) => LlmBehaviour,
): Promise<LlmFake<R>> {
  const requests: R[] = [];
  const queue = new BehaviourQueue<LlmBehaviour, R>(reply);
  const waiters = new Waiters(() => requests.length);
  const server = await startHttpServer(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return sendJson(res, 400, wire.errorBody(400, 'request body is not JSON'));
    }
    const routed = wire.route(req, url, body);
    if (!routed)
      return sendJson(res, 404, wire.errorBody(404, `no route for ${req.method} ${url.pathname}`));
    if ('status' in routed) return sendJson(res, routed.status, routed.body);
    requests.push(routed.record);
    waiters.notify();
    const b = queue.next(routed.record);
    if (b.delayMs) await sleep(b.delayMs);
    if (b.hang) return; // close() destroys the socket
    if (b.status) {
      const secs = typeof b.retryAfter === 'number' ? b.retryAfter : undefined;
      const headers: Record<string, string> =
        b.retryAfter !== undefined ? { 'retry-after': String(b.retryAfter) } : {};
      return sendJson(
        res,
        b.status,
        wire.errorBody(b.status, b.message ?? `fake error ${b.status}`, secs),
        headers,
      );
    }
    const r = normalise(b);
    if (!routed.stream) {
      if (b.cutBeforeFirstToken) return void res.destroy();
      const full = JSON.stringify(wire.completion(r, routed.record));
      if (b.malformed || b.cutAfterFirstToken) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const half = full.slice(0, Math.floor(full.length / 2));
        if (b.malformed) return void res.end(half);
        return void res.write(half, () => res.destroy());
      }
      return sendJson(res, 200, JSON.parse(full));
    }
    startSse(res);
    if (b.cutBeforeFirstToken) return void res.destroy();
    if (b.malformed) {
      writeSse(res, '{"not json', wire.sseEol);
      return void res.end();
    }
    const chunks = wire.chunks(r, routed.record);
    if (b.cutAfterFirstToken)
      return void writeSse(res, chunks[0] ?? {}, wire.sseEol, () => res.destroy());
    for (const c of chunks) writeSse(res, c, wire.sseEol);
    if (wire.sseDone) writeSse(res, wire.sseDone, wire.sseEol);
    res.end();
  });
  return {
    url: server.url,
    requests,
    script: (...b) => queue.script(...b),
    setReply: (fn) => queue.setReply(fn),
    reset: () => {
      requests.length = 0;
      queue.clear();
      queue.setReply(reply);
    },
    waitFor: (n, timeoutMs) => waiters.waitFor(n, timeoutMs),
    close: server.close,
  };
}
