/**
 * Serves the platform admin (admin-web/admin/: Preact + htm ES modules on the UI base, no build
 * step) with @fastify/static at /admin/ (`/admin` and `/admin/` answer index.html, `/admin/invite`
 * the owner-invite page), uPlot's IIFE build and CSS from node_modules at /admin/vendor/, and
 * admin-web/shared/ at /admin/shared/ (the staff inbox still imports its REST client and DOM
 * helpers from there; new code imports /web/shared/). With `wildcard: false` the static plugin
 * registers one route per file found at start, so no request path reaches the file system and
 * /admin/inbox (gateway/routes/admin-web-inbox.ts) keeps its own routes.
 * Also POST /api/invite/accept {token, password} → {email, tenant} (sets the invited owner's
 * password; bad/used/expired token → 400, weak password → 400).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { acceptInvite } from '../../core/services/platform/invites.ts';
import { tenantSlug } from '../../core/services/tenancy/tenants.ts';
import { withErrors } from '../schemas/common.ts';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../admin-web');
export const ADMIN_DIR = path.join(WEB_DIR, 'admin');
const UPLOT_DIR = path.dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
/** The only uPlot files the admin loads (the package's dist/ has other builds we do not serve). */
const UPLOT_FILES = new Set(['uPlot.iife.min.js', 'uPlot.min.css']);

/** Pages answered at paths without a file name (the view inside is chosen client-side). */
const PAGES: Record<string, string> = { '/admin': 'index.html', '/admin/': 'index.html', '/admin/invite': 'invite.html' };

export async function adminWebRoutes(app: FastifyInstance): Promise<void> {
  const nosniff = (reply: FastifyReply) => void reply.header('x-content-type-options', 'nosniff');
  const opts = { cacheControl: true, maxAge: 0, etag: true, dotfiles: 'deny' as const, index: false as const, redirect: false, wildcard: false, decorateReply: false, setHeaders: nosniff };
  // Type declarations (*.d.ts) exist for tsc only.
  await app.register(fastifyStatic, { ...opts, root: ADMIN_DIR, prefix: '/admin/', globIgnore: ['**/*.d.ts'] });
  await app.register(fastifyStatic, { ...opts, root: path.join(WEB_DIR, 'shared'), prefix: '/admin/shared/' });
  await app.register(fastifyStatic, {
    ...opts,
    root: UPLOT_DIR,
    prefix: '/admin/vendor/',
    globIgnore: readdirSync(UPLOT_DIR).filter((f) => !UPLOT_FILES.has(f)),
  });
  for (const [url, file] of Object.entries(PAGES)) {
    const body = readFileSync(path.join(ADMIN_DIR, file));
    app.get(url, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(body));
  }

  const { db, cfg } = app.deps;
  app.post<{ Body: { token: string; password: string } }>(
    '/api/invite/accept',
    {
      schema: {
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 1000 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ email: Type.String(), tenant: Type.String({ description: 'business slug' }) }) }),
      },
      config: { rateLimitKind: 'webhook' },
    },
    async (req) => {
      const r = await acceptInvite(db, cfg.secretKey, req.body.token, req.body.password);
      return { email: r.email, tenant: (await tenantSlug(db, r.tenantId))! };
    },
  );
}
