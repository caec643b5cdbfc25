/**
 * Security headers through @fastify/helmet (helmet 8), one profile per kind of response:
 *  - console (everything but the two below: /admin, /app, /docs, the API, webhooks): CSP
 *    `default-src 'self'`, scripts and styles from our origin only (no inline script, no inline
 *    `<style>`/style attributes — CSSOM changes from scripts are fine), images also `data:`,
 *    `object-src 'none'`, `base-uri 'self'`, `form-action 'self'`, `frame-ancestors 'none'`
 *    (no clickjacking; also X-Frame-Options: DENY for old browsers);
 *  - /docs (Swagger UI): same, plus inline styles (the UI injects a style element; scripts stay
 *    self-only);
 *  - the web-chat page GET /chat/:slug: same, plus inline styles (the widget injects its
 *    stylesheet) and any framing site (`frame-ancestors *`: businesses embed the page);
 *  - GET /widget.js: loadable by any site (`Cross-Origin-Resource-Policy: cross-origin`).
 * Every response: X-Content-Type-Options: nosniff, Referrer-Policy: strict-origin-when-cross-origin,
 * and Strict-Transport-Security (180 days, subdomains) only when PUBLIC_URL is https.
 * `upgrade-insecure-requests` likewise only with an https PUBLIC_URL.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

type Directives = Record<string, string[]>;

export const CONSOLE_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const DOCS_CSP: Directives = { ...CONSOLE_CSP, 'style-src': ["'self'", "'unsafe-inline'"] };
const CHAT_PAGE_CSP: Directives = { ...CONSOLE_CSP, 'style-src': ["'self'", "'unsafe-inline'"], 'frame-ancestors': ['*'] };

export const securityHeadersPlugin = fp(
  async (app) => {
    const https = app.deps.cfg.publicUrl.startsWith('https:');
    const csp = (directives: Directives) => ({
      useDefaults: false,
      directives: https ? { ...directives, 'upgrade-insecure-requests': [] } : directives,
    });
    await app.register(helmet, {
      global: false,
      contentSecurityPolicy: csp(CONSOLE_CSP),
      strictTransportSecurity: https ? { maxAge: 180 * 86_400, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      xFrameOptions: { action: 'deny' },
    });
    const chatPage = { contentSecurityPolicy: csp(CHAT_PAGE_CSP), xFrameOptions: false } as const;
    const widget = { crossOriginResourcePolicy: { policy: 'cross-origin' }, xFrameOptions: false } as const;
    const docs = { contentSecurityPolicy: csp(DOCS_CSP) };
    app.addHook('onRequest', async (req, reply) => {
      const route = req.routeOptions.url ?? '';
      const profile = route === '/chat/:slug' ? chatPage : route === '/widget.js' ? widget : route === '/docs' || route.startsWith('/docs/') ? docs : undefined;
      await reply.helmet(profile);
    });
  },
  { name: 'aizalo-security-headers' },
);
