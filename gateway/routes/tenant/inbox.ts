/**
 * Staff inbox reads (tenant API; `read` permission — every tenant role, and platform view-as):
 *  GET  /api/tenant/conversations?filter=needs_human|mine|ai|all&limit=N → {conversations, counts}
 *  GET  /api/tenant/conversations/:id → {conversation, customer, channel, messages, leads, bookings}
 *  POST /api/tenant/conversations/:id/read → 204 (unread markers; tenant users only)
 *  GET  /api/tenant/team → {users: [{id, name, email, role}]} (who a conversation can be assigned to)
 * Shapes: core/services/conversations/inbox.ts. Unknown or other-tenant conversation → 404.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getInboxConversation, INBOX_FILTERS, listInbox, listTeam, markRead, type InboxFilter } from '../../../core/services/conversations/inbox.ts';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object(
  {
    filter: Type.Optional(Type.Union(INBOX_FILTERS.map((f) => Type.Literal(f)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

const tenantOf = (req: FastifyRequest) => req.auth!.tenant!.id;
/** The caller's tenant_users id, or undefined for a platform user viewing as the tenant. */
const userOf = (req: FastifyRequest) => (req.auth!.userType === 'tenant' ? req.auth!.sub : undefined);

export async function inboxRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const read = app.requireTenantRole('read');

  app.get<{ Querystring: { filter?: InboxFilter; limit?: number } }>(
    '/api/tenant/conversations',
    { schema: { querystring: ListQuery }, preHandler: read },
    async (req) => listInbox(db, tenantOf(req), userOf(req), req.query.filter ?? 'all', req.query.limit ?? 100),
  );

  app.get<{ Params: { id: string } }>('/api/tenant/conversations/:id', { schema: { params: Params }, preHandler: read }, async (req) =>
    getInboxConversation(db, tenantOf(req), req.params.id),
  );

  app.post<{ Params: { id: string } }>('/api/tenant/conversations/:id/read', { schema: { params: Params }, preHandler: read }, async (req, reply) => {
    const userId = userOf(req);
    if (userId) await markRead(db, tenantOf(req), req.params.id, userId);
    return reply.status(204).send();
  });

  app.get('/api/tenant/team', { preHandler: read }, async (req) => ({ users: await listTeam(db, tenantOf(req)) }));
}
