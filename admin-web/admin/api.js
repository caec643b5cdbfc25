// @ts-check
/**
 * Typed calls to the platform REST API for the admin views. Wraps the shared client
 * (/web/shared/api.js: JSON in and out, errors in the API's one error shape
 * `{ error: { code, message, requestId } }` thrown as Error with `.status`). A 401 from any call
 * ends the session in the UI (session.js) so the sign-in form comes back.
 */
import { api as raw } from '/web/shared/api.js';
import { endSession } from './session.js';

/**
 * @template T
 * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
 * @param {string} url path and query, e.g. `/api/admin/tenants-billing?q=lodge`
 * @param {unknown} [body] sent as JSON
 * @returns {Promise<T>} the parsed JSON answer (undefined for 204)
 * @throws {Error & { status?: number }} the API's error message and HTTP status
 */
export async function call(method, url, body) {
  try {
    return await raw(method, url, body);
  } catch (err) {
    const e = /** @type {Error & { status?: number }} */ (err);
    if (e.status === 401 && url !== '/api/auth/login') endSession('Your session ended; sign in again.');
    throw e;
  }
}

/**
 * GET `url` as T.
 * @template T
 * @param {string} url
 * @returns {Promise<T>}
 */
export const get = (url) => call('GET', url);

/** @param {unknown} err @returns {string} a message to show */
export const messageOf = (err) => (err instanceof Error ? err.message : String(err));
