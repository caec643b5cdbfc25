/**
 * Serves the platform admin (admin-web/*.html|js|css: plain ES modules, no build step) at /admin,
 * uPlot from node_modules at /admin/vendor/, the owner-invite page at /admin/invite, and
 * POST /api/invite/accept {token, password} → {email, tenant} (sets the invited owner's password;
 * bad/used/expired token → 400, weak password → 400). Files are read once at start from a fixed
 * list; no request path touches the file system. admin-web/shared/ (the REST client both apps
 * import) is served at /admin/shared/. The staff inbox (/admin/inbox) is served elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { acceptInvite } from '../../core/services/platform/invites.ts';
import { tenantSlug } from '../../core/services/tenancy/tenants.ts';
import { withErrors } from '../schemas/common.ts';

export const ADMIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../admin-web');
const UPLOT_DIR = path.dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export async function adminWebRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(ADMIN_DIR)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(name, { body: readFileSync(path.join(ADMIN_DIR, name)), type });
  }
  // Modules shared with the staff inbox (admin-web/shared/api.js), at /admin/shared/<name>.
  for (const name of readdirSync(path.join(ADMIN_DIR, 'shared')))
    if (TYPES[path.extname(name)]) files.set(`shared/${name}`, { body: readFileSync(path.join(ADMIN_DIR, 'shared', name)), type: TYPES[path.extname(name)]! });
  for (const name of ['uPlot.iife.min.js', 'uPlot.min.css'])
    files.set(`vendor/${name}`, { body: readFileSync(path.join(UPLOT_DIR, name)), type: TYPES[path.extname(name)]! });
  const send = (name: string) => async (_req: unknown, reply: FastifyReply) => {
    const f = files.get(name)!;
    return reply.type(f.type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(f.body);
  };
  app.get('/admin', send('index.html'));
  app.get('/admin/', send('index.html'));
  app.get('/admin/invite', send('invite.html'));
  for (const name of files.keys()) if (!name.endsWith('.html')) app.get(`/admin/${name}`, send(name));

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
