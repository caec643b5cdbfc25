/**
 * The tenant's team (console contract, "Team"):
 *  GET    /api/tenant/users?limit&cursor → {items: Member[], nextCursor}          (read)
 *  POST   /api/tenant/users {email, role: admin|staff|viewer, phone?, name?} → 201 {user}; the invite
 *         email goes out (link /app/invite?token=…&tenant=SLUG), and an SMS from the platform number
 *         when `phone` is given and one is set up; 409 already_member   (users)
 *  PATCH  /api/tenant/users/:id {role?, active?} → {user}                         (users)
 *  DELETE /api/tenant/users/:id → 204 (revokes an invite or deactivates)          (users)
 *  POST   /api/tenant/users/:id/resend-invite → 202 (a new link; older ones stop working) (users)
 *  POST   /api/tenant/owner-transfer {userId} → {user} (owner only; the owner becomes admin)
 * Rules (owner protection, last owner, self) live in core/services/tenancy/team.ts; every write is
 * audited there. Another tenant's ids are simply not found (404).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deliverInviteEmail, inviteEmail, inviteLink, inviteSms } from '../../../core/services/tenancy/invites-tenant.ts';
import { sendPlatformSms } from '../../channels/platform-sms.ts';
import { inviteMember, listTeam, removeMember, resendInvite, transferOwnership, updateMember, type TeamActor } from '../../../core/services/tenancy/team.ts';
import type { TenantRole } from '../../../core/services/tenancy/permissions.ts';
import type { FastifyRequest } from 'fastify';
import { DateTime, IdParams, NoContent, Nullable, Uuid, withErrors } from '../../schemas/common.ts';

const Member = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('staff'), Type.Literal('viewer')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('invited'), Type.Literal('deactivated')]),
  createdAt: DateTime,
});
const Role = Type.Union([Type.Literal('admin'), Type.Literal('staff'), Type.Literal('viewer')]);
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' });
const Phone = Type.String({ pattern: '^\\+[1-9]\\d{6,14}$', description: 'E.164' });

const actorOf = (req: FastifyRequest): TeamActor => ({ tenantId: req.auth!.tenant!.id, userId: req.auth!.sub, role: req.auth!.tenant!.role as TenantRole, ip: req.ip });

export const tenantUserRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, cfg, mailer, log } = app.deps;
  // Email always; an SMS too when the member has a phone and the platform has an SMS number.
  const sendInvite = async (inv: Awaited<ReturnType<typeof inviteMember>>) => {
    const link = inviteLink(cfg.publicUrl, inv.token, inv.tenant.slug);
    await deliverInviteEmail({ mailer, log }, inviteEmail(inv.member.email, inv.tenant, inv.member.role, link));
    if (inv.member.phone) await sendPlatformSms(app.deps, inv.member.phone, inviteSms(inv.tenant, link));
  };

  app.get(
    '/api/tenant/users',
    {
      schema: {
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: withErrors({ 200: Type.Object({ items: Type.Array(Member), nextCursor: Type.Union([Type.String(), Type.Null()]) }) }),
      },
      preHandler: app.requireTenantRole('read'),
    },
    async (req) => listTeam(db, req.auth!.tenant!.id, req.query),
  );

  app.post(
    '/api/tenant/users',
    {
      schema: {
        body: Type.Object(
          { email: Email, role: Role, phone: Type.Optional(Phone), name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: Type.Object({ user: Member }) }),
      },
      preHandler: app.requireTenantRole('users'),
    },
    async (req, reply) => {
      const inv = await inviteMember(db, cfg.secretKey, actorOf(req), req.body);
      await sendInvite(inv);
      return reply.status(201).send({ user: inv.member });
    },
  );

  app.patch(
    '/api/tenant/users/:id',
    {
      schema: {
        params: IdParams,
        body: Type.Object({ role: Type.Optional(Role), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ user: Member }) }),
      },
      preHandler: app.requireTenantRole('users'),
    },
    async (req) => {
      const user = await updateMember(db, actorOf(req), req.params.id, req.body);
      app.forgetSessions([]); // a role change or deactivation revoked the member's sessions
      return { user };
    },
  );

  app.delete(
    '/api/tenant/users/:id',
    { schema: { params: IdParams, response: withErrors({ 204: NoContent }) }, preHandler: app.requireTenantRole('users') },
    async (req, reply) => {
      await removeMember(db, actorOf(req), req.params.id);
      app.forgetSessions([]);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/tenant/users/:id/resend-invite',
    { schema: { params: IdParams, response: withErrors({ 202: Type.Object({ user: Member }) }) }, preHandler: app.requireTenantRole('users') },
    async (req, reply) => {
      const inv = await resendInvite(db, cfg.secretKey, actorOf(req), req.params.id);
      await sendInvite(inv);
      return reply.status(202).send({ user: inv.member });
    },
  );

  app.post(
    '/api/tenant/owner-transfer',
    {
      schema: {
        body: Type.Object({ userId: Uuid }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ user: Member }) }),
      },
      preHandler: app.requireTenantRole('users'),
    },
    async (req) => {
      const user = await transferOwnership(db, actorOf(req), req.body.userId);
      app.forgetSessions([]); // both members' sessions were revoked (their roles changed)
      return { user };
    },
  );
};
