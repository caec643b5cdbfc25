/**
 * Shared setup of the security tests (issue 14): the real runtime with TRUST_PROXY=true, so a
 * test can speak from several client addresses through X-Forwarded-For (the way a deployment
 * behind its own proxy sees them), plus small HTTP helpers.
 */
import WebSocket from 'ws';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.ts';

export async function startSecurityHarness(env: Record<string, string> = {}, opts: Omit<HarnessOptions, 'env'> = {}): Promise<Harness> {
  return startHarness({ ...opts, env: { TRUST_PROXY: 'true', ...env } });
}

/** Headers making the request come from client address `ip`. */
export const from = (ip: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...headers });

export interface ChatSocket {
  ws: WebSocket;
  frames: any[];
  /** Close code once closed. */
  closed: Promise<number>;
  /** The HTTP status when the upgrade was refused (e.g. 429). */
  refused: Promise<number | undefined>;
}

/** Open a web-chat socket as `secret` from client address `ip`. */
export function chatSocket(h: Harness, slug: string, secret: string, ip = '10.0.0.1'): ChatSocket {
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/chat/${slug}/ws?visitor=${encodeURIComponent(secret)}`, { headers: from(ip) });
  const frames: any[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
  const refused = new Promise<number | undefined>((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
    ws.once('open', () => resolve(undefined));
    ws.once('error', () => resolve(undefined));
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, frames, closed, refused };
}
