/**
 * GET /api/tenant/webchat → {snippet, chatUrl} (read): the `<script>` tag that embeds the
 * web-chat widget in any page (GET /widget.js, `data-tenant` = the tenant's slug) and the
 * hosted chat page (GET /chat/:slug), both on PUBLIC_URL.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { tenants } from '../../../core/db/schema/index.ts';
import { AppError } from '../../../core/errors.ts';
import { responses } from './console-schemas.ts';

export const tenantWebchatEmbedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, cfg } = app.deps;
  app.get(
    '/api/tenant/webchat',
    { schema: { response: responses({ 200: Type.Object({ snippet: Type.String(), chatUrl: Type.String() }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const tenantId = req.auth!.tenant!.id;
      const [t] = await db.withTenant(tenantId, (tx) => tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId)));
      if (!t) throw new AppError('not_found', 'No such tenant');
      const base = cfg.publicUrl.replace(/\/$/, '');
      return { snippet: `<script src="${base}/widget.js" data-tenant="${t.slug}"></script>`, chatUrl: `${base}/chat/${t.slug}` };
    },
  );
};
