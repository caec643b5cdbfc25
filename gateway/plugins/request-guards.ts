/**
 * Request-shape guards for every route (issue 14, findings 4, 10, 11):
 *  - `requestId(req)`: the id used in logs and error bodies — the client's X-Request-Id only when
 *    it matches SAFE_REQUEST_ID (so nothing a client sends is logged or echoed raw), else a UUID.
 *  - State-changing /api routes (POST, PUT, PATCH, DELETE) take `application/json` bodies only:
 *    any other Content-Type → 415 before parsing (a plain HTML form or `text/plain` fetch cannot
 *    reach them). Bodiless requests (no Content-Type, no body) pass.
 *  - Cross-site requests to those routes are refused (403 `cross_site`): a present `Origin` must
 *    be PUBLIC_URL's origin, one of CONSOLE_ORIGINS, or the request's own origin (scheme + Host);
 *    without `Origin`, a `Sec-Fetch-Site` other than `same-origin`/`none` is refused. Clients that
 *    send neither (curl, server-to-server with a Bearer token) carry no ambient cookie risk.
 *  - Text input: a string anywhere in the query, params or body holding NUL, a lone surrogate or
 *    a noncharacter (U+FFFE, U+FFFF) → 400 `invalid_characters` (PostgreSQL text cannot hold NUL; such
 *    strings are never meaningful input).
 * Sources: OWASP CSRF Prevention Cheat Sheet ("Verifying Origin with standard headers", "Fetch
 * Metadata"), Fetch Metadata Request Headers (W3C).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import { AppError } from '../../core/errors.ts';

export const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Fastify genReqId: keep a client's id only when it is safe to log and echo. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// NUL, the two BMP noncharacters, and a surrogate half without its partner.
const BAD_TEXT = /[\u0000\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `v` (any JSON-ish value) holds a string with an invalid code point. */
export function hasInvalidText(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return BAD_TEXT.test(v);
  if (depth > 32 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasInvalidText(x, depth + 1));
  for (const [k, x] of Object.entries(v)) if (hasInvalidText(k, depth + 1) || hasInvalidText(x, depth + 1)) return true;
  return false;
}

export const requestGuardsPlugin = fp(
  async (app) => {
    const { cfg } = app.deps;
    const allowed = new Set([new URL(cfg.publicUrl).origin, ...cfg.security.consoleOrigins.map((o) => new URL(o).origin)]);

    app.addHook('onRequest', async (req) => {
      if (!STATE_CHANGING.has(req.method) || !req.url.startsWith('/api/')) return;
      const origin = req.headers.origin;
      if (origin !== undefined) {
        if (!allowed.has(origin) && origin !== `${req.protocol}://${req.host}`)
          throw new AppError('cross_site', 'Cross-site requests to this API are not allowed');
      } else {
        const site = req.headers['sec-fetch-site'];
        if (site !== undefined && site !== 'same-origin' && site !== 'none')
          throw new AppError('cross_site', 'Cross-site requests to this API are not allowed');
      }
      const type = req.headers['content-type'];
      const hasBody = type !== undefined || (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
      if (hasBody && !/^application\/json\s*(;|$)/i.test(type ?? ''))
        throw new AppError('unsupported_media_type', 'This API takes application/json bodies only');
    });

    app.addHook('preValidation', async (req) => {
      if (hasInvalidText(req.query) || hasInvalidText(req.params) || hasInvalidText(req.body))
        throw new AppError('invalid_characters', 'Text input must not contain NUL or other invalid characters');
    });
  },
  { name: 'aizalo-request-guards' },
);
