/**
 * Content library (tenant API):
 *  POST /api/tenant/content/requests {kind: google_business_post|social_post|broadcast, goal, tone, language?, variants? (1-5)}
 *       → 202 {request}  (reply); the `content_generate` job writes the variants as drafts
 *  GET  /api/tenant/content/requests/:id → {request, items}  (read)
 *  GET  /api/tenant/content?status → {items}  (read)
 *  POST /api/tenant/content/:id/approve | /publish → {item}  (settings); draft → approved → published only (else 409)
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createContentRequest, getContentRequest, listContentItems, setContentStatus } from '../../../core/services/commerce/content.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParams } from './agent-schemas.ts';

const Lang = Type.Union([Type.Literal('en'), Type.Literal('sw'), Type.Literal('sheng')]);
const Ask = Type.Object(
  {
    kind: Type.Union([Type.Literal('google_business_post'), Type.Literal('social_post'), Type.Literal('broadcast')]),
    goal: Type.String({ minLength: 3, maxLength: 1000 }),
    tone: Type.String({ minLength: 2, maxLength: 100 }),
    language: Type.Optional(Lang),
    variants: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  },
  { additionalProperties: false },
);
const Status = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('approved'), Type.Literal('published')])) });

export async function tenantContentRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue } = app.deps;
  app.post<{ Body: Static<typeof Ask> }>('/api/tenant/content/requests', { schema: { body: Ask }, preHandler: app.requireTenantRole('reply') }, async (req, reply) => {
    const tenantId = req.auth!.tenant!.id;
    const request = await db.withTenant(tenantId, (tx) => createContentRequest(tx, tenantId, { ...req.body, requestedBy: req.auth!.sub }));
    await queue.enqueue('content_generate', { tenantId, requestId: request.id }, { jobId: `content-${request.id}` });
    return reply.status(202).send({ request });
  });
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/tenant/content/requests/:id',
    { schema: { params: IdParams }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const out = await db.withTenant(req.auth!.tenant!.id, async (tx) => {
        const request = await getContentRequest(tx, req.params.id);
        return request ? { request, items: await listContentItems(tx, { requestId: request.id }) } : undefined;
      });
      if (!out) throw new AppError('not_found', 'No such content request');
      return out;
    },
  );
  app.get<{ Querystring: Static<typeof Status> }>('/api/tenant/content', { schema: { querystring: Status }, preHandler: app.requireTenantRole('read') }, async (req) => ({
    items: await db.withTenant(req.auth!.tenant!.id, (tx) => listContentItems(tx, { status: req.query.status })),
  }));
  for (const [action, status] of [['approve', 'approved'], ['publish', 'published']] as const) {
    app.post<{ Params: Static<typeof IdParams> }>(
      `/api/tenant/content/:id/${action}`,
      { schema: { params: IdParams }, preHandler: app.requireTenantRole('settings') },
      async (req) => {
        const item = await db.withTenant(req.auth!.tenant!.id, (tx) => setContentStatus(tx, req.params.id, status));
        if (!item) throw new AppError('not_found', 'No such content item');
        return { item };
      },
    );
  }
}
