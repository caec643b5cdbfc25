/**
 * Staff inbox reads (tenant API; `read` permission — every tenant role, and platform view-as):
 *  GET  /api/tenant/conversations?filter=needs_human|mine|ai|all&limit=N → {conversations, counts}
 *  GET  /api/tenant/conversations/:id → {conversation, customer, channel, messages, leads, bookings}
 *  POST /api/tenant/conversations/:id/read → 204 (unread markers; tenant users only)
 *  GET  /api/tenant/team → {users: [{id, name, email, role}]} (who a conversation can be assigned to)
 * Shapes: core/services/conversations/inbox.ts (messages, leads and bookings of the conversation
 * view are its SQL rows, snake_case). Unknown, malformed or other-tenant conversation → 404.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { getInboxConversation, INBOX_FILTERS, listInbox, listTeam, markRead } from '../../../core/services/conversations/inbox.ts';
import { DateTime, JsonObject, NoContent, Nullable, Owner, withErrors } from '../../schemas/common.ts';
import { ESCALATION_REASONS } from '../../../core/services/conversations/escalation-reasons.ts';

/** Code of the latest escalation (one list: escalation-reasons.ts); null when never escalated. */
const EscalationReason = Nullable(Type.Union(ESCALATION_REASONS.map((r) => Type.Literal(r))));

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object(
  { filter: Type.Optional(Type.Union(INBOX_FILTERS.map((f) => Type.Literal(f)))), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  { additionalProperties: false },
);
/** inbox.ts InboxItem. */
const InboxItem = Type.Object({
  id: Type.String(),
  owner: Owner,
  assignedUserId: Nullable(Type.String()),
  assignedName: Nullable(Type.String()),
  ownerVersion: Type.Integer(),
  needsHuman: Type.Boolean(),
  needsHumanReason: Nullable(Type.String()),
  escalationReason: EscalationReason,
  lastMessageAt: DateTime,
  customer: Type.Object({ id: Type.String(), name: Nullable(Type.String()), handle: Type.String() }),
  channel: Type.Object({ type: Type.String() }),
  lastMessage: Nullable(Type.Object({ text: Type.String(), sender: Type.String() })),
  unread: Type.Integer(),
});
const InboxList = Type.Object({
  conversations: Type.Array(InboxItem),
  counts: Type.Object({ needs_human: Type.Integer(), mine: Type.Integer(), ai: Type.Integer(), all: Type.Integer(), unread: Type.Integer() }),
});
/** A bigint column read with raw SQL: node-postgres hands it over as a string. */
const BigIntCents = Nullable(Type.Union([Type.Integer(), Type.String()], { description: 'KES cents' }));
const ConversationView = Type.Object({
  conversation: Type.Object({
    id: Type.String(),
    owner: Owner,
    assignedUserId: Nullable(Type.String()),
    assignedName: Nullable(Type.String()),
    ownerVersion: Type.Integer(),
    needsHuman: Type.Boolean(),
    needsHumanReason: Nullable(Type.String()),
    escalationReason: EscalationReason,
    ownerChangedAt: Nullable(DateTime),
    lastMessageAt: DateTime,
  }),
  customer: Type.Object({
    id: Type.String(),
    name: Nullable(Type.String()),
    handle: Type.String(),
    phone: Nullable(Type.String()),
    language: Type.String(),
    profile: JsonObject,
    since: DateTime,
  }),
  channel: Type.Object({ type: Type.String(), provider: Type.String(), address: Type.String() }),
  messages: Type.Array(
    Type.Object({
      id: Type.String(),
      direction: Type.String(),
      sender: Type.String(),
      text: Type.String(),
      status: Type.String(),
      error: Nullable(Type.String()),
      created_at: DateTime,
    }),
  ),
  leads: Type.Array(
    Type.Object({
      id: Type.String(),
      stage: Type.String(),
      score: Type.Integer(),
      value_cents: BigIntCents,
      interest: Nullable(Type.String()),
      notes: Nullable(Type.String()),
      created_at: DateTime,
    }),
  ),
  bookings: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      starts_at: DateTime,
      ends_at: DateTime,
      party_size: Type.Integer(),
      notes: Nullable(Type.String()),
      resource: Nullable(Type.String()),
    }),
  ),
});
const TeamMember = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), role: Type.String() });

const tenantOf = (req: FastifyRequest) => req.auth!.tenant!.id;
/** The caller's tenant_users id, or undefined for a platform user viewing as the tenant. */
const userOf = (req: FastifyRequest) => (req.auth!.userType === 'tenant' ? req.auth!.sub : undefined);

export const inboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const read = app.requireTenantRole('read');

  app.get('/api/tenant/conversations', { schema: { querystring: ListQuery, response: withErrors({ 200: InboxList }) }, preHandler: read }, async (req) =>
    listInbox(db, tenantOf(req), userOf(req), req.query.filter ?? 'all', req.query.limit ?? 100),
  );

  app.get('/api/tenant/conversations/:id', { schema: { params: Params, response: withErrors({ 200: ConversationView }) }, preHandler: read }, async (req) =>
    getInboxConversation(db, tenantOf(req), req.params.id),
  );

  app.post('/api/tenant/conversations/:id/read', { schema: { params: Params, response: withErrors({ 204: NoContent }) }, preHandler: read }, async (req, reply) => {
    const userId = userOf(req);
    if (userId) await markRead(db, tenantOf(req), req.params.id, userId);
    return reply.status(204).send();
  });

  app.get('/api/tenant/team', { schema: { response: withErrors({ 200: Type.Object({ users: Type.Array(TeamMember) }) }) }, preHandler: read }, async (req) => ({
    users: (await listTeam(db, tenantOf(req))) as Array<{ id: string; name: string; email: string; role: string }>,
  }));
};
