// @ts-check
/**
 * The ONE way the web UIs put a value into an API path (security finding 5, issue 14): every
 * value that lands in a path segment must be a UUID (the only ids our routes take) and is
 * percent-encoded; anything else throws `BadPathError` before a request exists, so an id taken
 * from the URL (`#c=..%2Fcampaigns%2F…%2Fsend%3F`) can never walk to another route.
 *   apiPath`/api/tenant/conversations/${id}/read`     tagged template
 *   fillPath('/api/tenant/bookings/:id/cancel', { id }) route template (used by api.js `call`)
 * Query values go through URLSearchParams (`withQuery`), never string concatenation.
 */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class BadPathError extends Error {
  /** @param {unknown} value */
  constructor(value) {
    super(`Not a valid id: ${String(value).slice(0, 60)}`);
    this.name = 'BadPathError';
  }
}

/** True for a canonical UUID string. @param {unknown} v @returns {v is string} */
export const isUuid = (v) => typeof v === 'string' && UUID_RE.test(v);

/** A validated, encoded path segment. @param {unknown} value @throws {BadPathError} */
export function segment(value) {
  if (!isUuid(value)) throw new BadPathError(value);
  return encodeURIComponent(value);
}

/**
 * Tagged template: literal parts as written, each interpolated value through `segment`.
 * @param {TemplateStringsArray} strings @param {...unknown} values @returns {string}
 */
export function apiPath(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? segment(values[i]) : ''), '');
}

/**
 * Fill `:name` placeholders of a route template. @param {string} template
 * @param {Record<string, string> | undefined} params @returns {string} @throws {BadPathError}
 */
export function fillPath(template, params) {
  return template.replace(/:([a-zA-Z]+)/g, (_m, name) => segment(params?.[name]));
}

/**
 * Append a query string built by URLSearchParams (undefined/null/'' values are left out).
 * @param {string} path @param {Record<string, unknown> | undefined} query
 */
export function withQuery(path, query) {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
