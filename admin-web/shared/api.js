// @ts-check
/**
 * REST client shared by the web UIs. The session cookie is set by POST /api/auth/login; errors
 * come in the API's one error shape `{ error: { code, message, requestId } }` and are thrown as
 * `ApiError` (status, code, message). Served at /web/shared/api.js (and /admin/shared/api.js).
 *   call('PATCH /api/tenant/bookings/:id', { params: { id }, body })   typed by console-api.d.ts
 *   api('GET', url, body?)                                               untyped, for the platform admin
 * Paths are built only by ./api-path.js (ids validated as UUIDs and encoded).
 */
import { fillPath, withQuery } from './api-path.js';

/** @typedef {import('../types/console-api.js').Routes} Routes */
/** @typedef {import('../types/console-api.js').RouteKey} RouteKey */

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * fetch JSON; resolves undefined for 204/202 without a body.
 * @param {string} method @param {string} url @param {unknown} [body]
 * @returns {Promise<any>} @throws {ApiError}
 */
export async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return undefined;
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'http_error', data?.error?.message || `The server answered ${res.status}`);
  return data;
}

/**
 * A typed call: `route` is 'METHOD /path/:param' from Routes.
 * @template {RouteKey} K
 * @param {K} route
 * @param {import('../types/console-api.js').CallArgs<K>} [args]
 * @returns {Promise<Routes[K]['res']>}
 */
export function call(route, args) {
  const at = route.indexOf(' ');
  const a = /** @type {{ params?: Record<string, string>, query?: Record<string, unknown>, body?: unknown }} */ (args ?? {});
  return api(route.slice(0, at), withQuery(fillPath(route.slice(at + 1), a.params), a.query), a.body);
}

/** A message for the person from any thrown value. @param {unknown} err */
export const errorText = (err) => (err instanceof Error ? err.message : String(err));
