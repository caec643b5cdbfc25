/**
 * Static assets of the web UIs (admin-web/), no build step:
 *  GET /web/shared/*  admin-web/shared/ (the UI base ui.js, the REST client) via @fastify/static
 *  GET /app, /app/*   the tenant console, admin-web/app/ (index.html for /app and /app/)
 *  GET /web/vendor/{preact,preact-hooks,htm,signals,signals-core}.js — third-party ES modules
 * Each file is read once at start and its bare imports ("preact", "preact/hooks",
 * "@preact/signals-core") are rewritten to these absolute URLs, so pages need no import map
 * (an inline import map would need a CSP hash). No request path touches the file system.
 * Our own modules import them through admin-web/shared/ui.js only; tsconfig `paths` maps the same
 * URLs to the packages' type definitions so `tsc` checks the UI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../admin-web');

const require = createRequire(import.meta.url);
/** A file inside an installed package (some packages do not export ./package.json, so search node_modules). */
function pkgFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, pkg, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${pkg}/${file} not found in node_modules`);
}

/** URL name → package file (the packages' own ESM builds). */
const SOURCES: Record<string, string> = {
  'preact.js': pkgFile('preact', 'dist/preact.mjs'),
  'preact-hooks.js': pkgFile('preact', 'hooks/dist/hooks.mjs'),
  'htm.js': pkgFile('htm', 'dist/htm.mjs'),
  'signals-core.js': pkgFile('@preact/signals-core', 'dist/signals-core.mjs'),
  'signals.js': pkgFile('@preact/signals', 'dist/signals.mjs'),
};
/** Console paths answered with admin-web/app/index.html (the view is chosen client-side). */
export const CONSOLE_PAGES = ['/app', '/app/invite', '/app/reset'];

const SPECIFIERS: Record<string, string> = {
  preact: '/web/vendor/preact.js',
  'preact/hooks': '/web/vendor/preact-hooks.js',
  '@preact/signals-core': '/web/vendor/signals-core.js',
};

/** Rewrite `from"pkg"` / `from 'pkg'` bare specifiers to our vendor URLs; throws on an unknown one. */
export function rewriteBareImports(src: string, file: string): string {
  return src.replace(/\b(from\s*|import\s*)(["'])([^"'./][^"']*)\2/g, (_m, kw: string, q: string, spec: string) => {
    const url = SPECIFIERS[spec];
    if (!url) throw new Error(`${file}: unknown bare import "${spec}"`);
    return `${kw}${q}${url}${q}`;
  });
}

export async function webAssetRoutes(app: FastifyInstance): Promise<void> {
  const staticOpts = { cacheControl: true, maxAge: 0, etag: true, dotfiles: 'deny' as const, index: ['index.html'], redirect: false, wildcard: false };
  await app.register(fastifyStatic, { ...staticOpts, root: path.join(WEB_DIR, 'shared'), prefix: '/web/shared/', decorateReply: false });
  await app.register(fastifyStatic, { ...staticOpts, root: path.join(WEB_DIR, 'app'), prefix: '/app/', decorateReply: false });
  // The console is one page; these paths (links we send in invite and reset emails) all load it.
  const indexHtml = readFileSync(path.join(WEB_DIR, 'app', 'index.html'));
  for (const p of CONSOLE_PAGES)
    app.get(p, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml));

  const files = new Map<string, string>();
  for (const [name, file] of Object.entries(SOURCES)) {
    // The sourceMappingURL comment points at a .map we do not serve.
    files.set(name, rewriteBareImports(readFileSync(file, 'utf8'), file).replace(/\n\/\/# sourceMappingURL=.*$/m, ''));
  }
  for (const [name, body] of files) {
    app.get(`/web/vendor/${name}`, async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(body),
    );
  }
}
