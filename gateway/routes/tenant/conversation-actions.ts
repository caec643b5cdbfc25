/**
 * Staff actions on one conversation (tenant API; needs the `reply` permission: owner, admin,
 * staff — a viewer gets 403):
 *  POST /api/tenant/conversations/:id/takeover            → 200 Ownership (caller becomes the owner)
 *  POST /api/tenant/conversations/:id/handback            → 200 Ownership (back to the AI)
 *  POST /api/tenant/conversations/:id/assign {userId}     → 200 Ownership (a colleague owns it)
 *  POST /api/tenant/conversations/:id/messages {text}     → 201 {messageId, ownership}; sent through
 *       the customer's own channel; replying to a conversation not owned by a human takes it over.
 * Unknown or other-tenant conversation → 404; bad body → 400; nothing is written on an error.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import { assign, handback, takeover, type Actor } from '../../../core/services/conversations/ownership.ts';
import { MAX_STAFF_MESSAGE_CHARS, sendStaffMessage } from '../../../core/services/conversations/staff-messages.ts';
import { Nullable, Owner, withErrors } from '../../schemas/common.ts';

// Unknown and malformed conversation ids both read as 404 (the services check), as before.
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const Ownership = Type.Object({
  conversationId: Type.String(),
  owner: Owner,
  assignedUserId: Nullable(Type.String()),
  ownerVersion: Type.Integer(),
  needsHuman: Type.Boolean(),
  reason: Nullable(Type.String()),
  changed: Type.Boolean(),
});
const AssignBody = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const MessageBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_STAFF_MESSAGE_CHARS }) }, { additionalProperties: false });

/** The acting tenant user; platform view-as sessions are read-only (requireTenantRole already refuses them). */
function actor(req: FastifyRequest): Actor & { userId: string; tenantId: string } {
  const a = req.auth!;
  if (a.userType !== 'tenant' || !a.tenant) throw new AppError('forbidden', 'Only staff of this business can do this');
  return { userId: a.sub, tenantId: a.tenant.id, ip: req.ip };
}

export const conversationActionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, bus, queue } = app.deps;
  const reply = app.requireTenantRole('reply');
  const ok = withErrors({ 200: Ownership });

  app.post('/api/tenant/conversations/:id/takeover', { schema: { params: Params, response: ok }, preHandler: reply }, async (req) => {
    const a = actor(req);
    return takeover({ db, bus, queue }, a.tenantId, req.params.id, a);
  });

  app.post('/api/tenant/conversations/:id/handback', { schema: { params: Params, response: ok }, preHandler: reply }, async (req) => {
    const a = actor(req);
    return handback({ db, bus }, a.tenantId, req.params.id, a);
  });

  app.post('/api/tenant/conversations/:id/assign', { schema: { params: Params, body: AssignBody, response: ok }, preHandler: reply }, async (req) => {
    const a = actor(req);
    return assign({ db, bus, queue }, a.tenantId, req.params.id, req.body.userId, a);
  });

  app.post(
    '/api/tenant/conversations/:id/messages',
    { schema: { params: Params, body: MessageBody, response: withErrors({ 201: Type.Object({ messageId: Type.String(), ownership: Ownership }) }) }, preHandler: reply },
    async (req, res) => {
      const a = actor(req);
      const out = await sendStaffMessage({ db, bus, queue }, a.tenantId, req.params.id, a, req.body.text);
      return res.status(201).send(out);
    },
  );
};
