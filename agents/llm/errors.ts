/**
 * Turns whatever an LLM SDK throws into one classified `LlmError`.
 *
 * Where the facts come from, per SDK:
 * - `openai` / `groq-sdk` (Stainless): `APIError.status` (number) and `APIError.headers`
 *   (fetch `Headers`); `APIConnectionError` / `APIConnectionTimeoutError` /
 *   `APIUserAbortError` have no status.
 * - `@google/genai`: `ApiError.status` (number) but no headers; the body is the
 *   JSON-encoded message. Gemini reports a 429's back-off in the body as a
 *   `google.rpc.RetryInfo` detail (`retryDelay: "2s"`), see
 *   https://ai.google.dev/gemini-api/docs/troubleshooting and google.rpc error model.
 * - Node's fetch (undici): `TypeError('fetch failed')` with `cause.code`
 *   (ECONNREFUSED…) before headers, `TypeError('terminated')` when the socket dies
 *   mid-body, `DOMException` `AbortError` on abort.
 */
import * as Groq from 'groq-sdk';
import * as OpenAI from 'openai';
import { LlmError, type ProviderName } from './types.ts';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
  headers?: unknown;
  cause?: unknown;
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
}

/** Walk `err`, `err.cause`, `err.cause.cause`… (bounded). */
function* causeChain(err: unknown): Generator<ErrorLike> {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur !== undefined && cur !== null; depth++) {
    const e = asErrorLike(cur);
    yield e;
    cur = e.cause;
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Parse an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay-seconds (decimals
 * tolerated) or an HTTP-date. Returns ms ≥ 0, or undefined when absent/unparsable.
 * Not capped here: the router bounds it.
 */
export function parseRetryAfter(
  value: string | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Retry hint from headers: OpenAI's `retry-after-ms`, then standard `retry-after`. */
function retryAfterFromHeaders(headers: unknown): number | undefined {
  const ms = headerOf(headers, 'retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  return parseRetryAfter(headerOf(headers, 'retry-after'));
}

/** Retry hint from a Google error body (`details[].retryDelay`, protobuf Duration JSON such as "2s" / "1.5s"). */
function retryAfterFromGoogleBody(message: string): number | undefined {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

// Stainless SDK errors keep `name === 'Error'`, so they are recognised by class.
function isAbortShaped(e: ErrorLike): boolean {
  return (
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    e instanceof OpenAI.APIUserAbortError ||
    e instanceof Groq.APIUserAbortError ||
    e instanceof OpenAI.APIConnectionTimeoutError ||
    e instanceof Groq.APIConnectionTimeoutError
  );
}

function isSdkConnectionError(e: ErrorLike): boolean {
  return e instanceof OpenAI.APIConnectionError || e instanceof Groq.APIConnectionError;
}

function shortMessage(err: unknown): string {
  const m = asErrorLike(err).message;
  const s = typeof m === 'string' ? m : String(err);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/**
 * Classify an SDK/network error into an `LlmError`.
 *
 * Rules (first match wins):
 * - already an `LlmError` → returned unchanged;
 * - HTTP status 429 → `rate_limited` (retryAfterMs from `retry-after-ms`, `Retry-After`
 *   seconds or HTTP-date, or Gemini's `RetryInfo.retryDelay`); 408 → `timeout`;
 *   5xx → `server` (503 also carries retryAfterMs when given); other 4xx → `client`;
 * - `signal` aborted → `timeout` when its reason is a `TimeoutError`
 *   (`AbortSignal.timeout`, the per-attempt deadline), else `aborted` (the caller gave up);
 * - abort/timeout-shaped errors without an aborted caller signal → `timeout` (an SDK timer);
 * - connection refused/reset/DNS, undici `fetch failed` / `terminated`, SDK
 *   `APIConnectionError` → `connection`;
 * - JSON `SyntaxError`, unparsable stream chunks → `malformed`;
 * - anything else → `server` (retryable, so failover still gets a chance).
 *
 * @param provider which provider raised it (goes into the message and metrics).
 * @param err whatever was thrown.
 * @param signal the AbortSignal passed to the call, to tell deadline from caller abort.
 */
export function classifyError(
  provider: ProviderName,
  err: unknown,
  signal?: AbortSignal,
): LlmError {
  if (err instanceof LlmError) return err;
  const e = asErrorLike(err);
  const message = shortMessage(err);
  const status = typeof e.status === 'number' ? e.status : undefined;

  if (status !== undefined && status >= 400) {
    const retryAfterMs = retryAfterFromHeaders(e.headers) ?? retryAfterFromGoogleBody(message);
    if (status === 429)
      return new LlmError(provider, 'rate_limited', message, status, retryAfterMs);
    if (status === 408) return new LlmError(provider, 'timeout', message, status);
    if (status >= 500) {
      return new LlmError(
        provider,
        'server',
        message,
        status,
        status === 503 ? retryAfterMs : undefined,
      );
    }
    return new LlmError(provider, 'client', message, status);
  }

  if (signal?.aborted) {
    const reason = asErrorLike(signal.reason);
    return reason.name === 'TimeoutError'
      ? new LlmError(provider, 'timeout', 'deadline exceeded')
      : new LlmError(provider, 'aborted', 'aborted by caller');
  }

  const chain = [...causeChain(err)];
  if (chain.some(isAbortShaped)) return new LlmError(provider, 'timeout', message);

  if (
    chain.some(
      (c) =>
        (typeof c.code === 'string' && CONNECTION_CODES.has(c.code)) ||
        isSdkConnectionError(c) ||
        c.name === 'SocketError' ||
        c.message === 'fetch failed' ||
        c.message === 'terminated' ||
        c.message === 'other side closed',
    )
  ) {
    return new LlmError(provider, 'connection', message);
  }

  if (
    chain.some(
      (c) =>
        c.name === 'SyntaxError' ||
        (typeof c.message === 'string' &&
          /JSON|exception parsing stream chunk|Incomplete JSON segment/i.test(c.message)),
    )
  ) {
    return new LlmError(provider, 'malformed', message);
  }

  return new LlmError(provider, 'server', message);
}
