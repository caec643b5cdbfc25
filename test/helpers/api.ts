/** Small JSON HTTP client for API tests against a running harness. */
import type { Harness } from './harness.ts';

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** fetch(h.url + path) with a JSON body (if any) and optional session headers. */
export async function api(h: Harness, method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown } = {}): Promise<ApiResponse> {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON (e.g. an event stream) */
  }
  return { status: res.status, body, headers: res.headers };
}
