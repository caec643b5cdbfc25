/**
 * What to do after a socket closes, by Baileys' DisconnectReason status code (the Boom error in
 * `connection.update.lastDisconnect.error.output.statusCode`, see DisconnectReason in
 * @whiskeysockets/baileys lib/Types/index), and the backoff between attempts.
 */
import { DisconnectReason } from '@whiskeysockets/baileys';

export type CloseAction =
  | { kind: 'reconnect'; immediate: boolean }
  | { kind: 'terminal'; status: 'logged_out' | 'stopped'; reason: 'logged_out' | 'forbidden' | 'connection_replaced' };

/** Status code of a Baileys close error (Boom `output.statusCode`), undefined when absent. */
export function closeStatusCode(err: unknown): number | undefined {
  const e = err as { output?: { statusCode?: unknown }; statusCode?: unknown } | undefined;
  const code = e?.output?.statusCode ?? e?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * 401 logged out, 403 forbidden and 440 connection replaced are terminal: reconnecting would
 * loop (or fight another session for the number). 515 restart required is routine right after
 * linking: reconnect at once. Everything else (408 lost/timed out, 428 closed, 500 bad session,
 * 503, unknown) reconnects with backoff.
 */
export function classifyClose(code: number | undefined): CloseAction {
  switch (code) {
    case DisconnectReason.loggedOut:
      return { kind: 'terminal', status: 'logged_out', reason: 'logged_out' };
    case DisconnectReason.forbidden:
      return { kind: 'terminal', status: 'stopped', reason: 'forbidden' };
    case DisconnectReason.connectionReplaced:
      return { kind: 'terminal', status: 'stopped', reason: 'connection_replaced' };
    case DisconnectReason.restartRequired:
      return { kind: 'reconnect', immediate: true };
    default:
      return { kind: 'reconnect', immediate: false };
  }
}

/**
 * Exponential backoff with full jitter: a random delay in [base/2, min(cap, base·2^attempt)] ms.
 * @param attempt 0 for the first retry after a close.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  const floor = Math.min(ceiling, baseMs / 2);
  return Math.round(floor + random() * (ceiling - floor));
}
