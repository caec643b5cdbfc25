/**
 * Content library (tenant API):
 *  POST /api/tenant/content/requests {kind: google_business_post|social_post|broadcast, goal, tone, language?, variants? (1-5)}
 *       → 202 {request}  (reply); the `content_generate` job writes the variants as drafts
 *  GET  /api/tenant/content/requests/:id → {request, items}  (read)
 *  GET  /api/tenant/content?status → {items}  (read)
 *  POST /api/tenant/content/:id/approve | /publish → {item}  (settings); draft → approved → published only (else 409)
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contentItems, contentRequests } from '../../../core/db/schema/index.ts';
import { createContentRequest, getContentRequest, listContentItems, setContentStatus } from '../../../core/services/commerce/content.ts';
import { IdParams, Language, notFound, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const Ask = Type.Object(
  {
    kind: Type.Union([Type.Literal('google_business_post'), Type.Literal('social_post'), Type.Literal('broadcast')]),
    goal: Type.String({ minLength: 3, maxLength: 1000 }),
    tone: Type.String({ minLength: 2, maxLength: 100 }),
    language: Type.Optional(Language),
    variants: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  },
  { additionalProperties: false },
);
const Status = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('approved'), Type.Literal('published')])) }, { additionalProperties: false });
const ContentRequest = rowSchema(contentRequests, { omit: ['tenantId'], title: 'ContentRequest' });
export const ContentItem = rowSchema(contentItems, { omit: ['tenantId'], title: 'ContentItem' });

export const tenantContentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, queue } = app.deps;
  app.post(
    '/api/tenant/content/requests',
    { schema: { body: Ask, response: withErrors({ 202: Type.Object({ request: ContentRequest }) }) }, preHandler: app.requireTenantRole('reply') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const request = await db.withTenant(tenantId, (tx) => createContentRequest(tx, tenantId, { ...req.body, requestedBy: req.auth!.sub }));
      await queue.enqueue('content_generate', { tenantId, requestId: request.id }, { jobId: `content-${request.id}` });
      return reply.status(202).send({ request });
    },
  );
  app.get(
    '/api/tenant/content/requests/:id',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ request: ContentRequest, items: Type.Array(ContentItem) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const out = await db.withTenant(req.auth!.tenant!.id, async (tx) => {
        const request = await getContentRequest(tx, req.params.id);
        return request ? { request, items: await listContentItems(tx, { requestId: request.id }) } : undefined;
      });
      if (!out) throw notFound('content request');
      return out;
    },
  );
  app.get(
    '/api/tenant/content',
    { schema: { querystring: Status, response: withErrors({ 200: Type.Object({ items: Type.Array(ContentItem) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ items: await db.withTenant(req.auth!.tenant!.id, (tx) => listContentItems(tx, { status: req.query.status })) }),
  );
  for (const [action, status] of [['approve', 'approved'], ['publish', 'published']] as const) {
    app.post(
      `/api/tenant/content/:id/${action}`,
      { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ item: ContentItem }) }) }, preHandler: app.requireTenantRole('settings') },
      async (req) => {
        const item = await db.withTenant(req.auth!.tenant!.id, (tx) => setContentStatus(tx, req.params.id, status));
        if (!item) throw notFound('content item');
        return { item };
      },
    );
  }
};
