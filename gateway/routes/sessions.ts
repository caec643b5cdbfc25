/**
 * One's own sessions (any signed-in user, tenant or platform):
 *  GET  /api/auth/sessions → {sessions: [{id, createdAt, lastSeenAt, expiresAt, userAgent, ip, current}]}
 *    (live ones, newest first).
 *  POST /api/auth/sessions/revoke-all → 204: "sign out everywhere" — every session of the user
 *    ends, this one included (cookie cleared). Audited as auth.revoke_all.
 *  DELETE /api/auth/sessions/:id → 204 (one of one's own sessions; another user's → 404).
 * Revoked sessions stop working in this process at once and in every other within SESSION_CACHE_MS.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../core/services/tenancy/audit.ts';
import { listUserSessions, revokeUserSessions, revokeSession } from '../../core/services/tenancy/sessions.ts';
import { AppError } from '../../core/errors.ts';

const SessionInfo = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const actor = (a: NonNullable<import('fastify').FastifyRequest['auth']>) => ({
    tenantId: a.tenantId,
    actorType: a.userType === 'tenant' ? ('tenant_user' as const) : ('platform_user' as const),
    actorId: a.sub,
  });

  app.get(
    '/api/auth/sessions',
    { preHandler: app.authenticate, schema: { response: { 200: Type.Object({ sessions: Type.Array(SessionInfo) }) } } },
    async (req) => {
      const a = req.auth!;
      const rows = await listUserSessions(db, { userId: a.sub, kind: a.userType });
      return { sessions: rows.map((s) => ({ ...s, current: s.id === a.sid })) };
    },
  );

  app.post('/api/auth/sessions/revoke-all', { preHandler: app.authenticate }, async (req, reply) => {
    const a = req.auth!;
    const ids = await revokeUserSessions(db, { userId: a.sub, kind: a.userType, reason: 'revoke_all' });
    app.forgetSessions(ids);
    await audit(db, { ...actor(a), action: 'auth.revoke_all', target: a.sub, data: { sessions: ids.length }, ip: req.ip });
    app.clearSession(reply);
    return reply.status(204).send();
  });

  app.delete<{ Params: { id: string } }>(
    '/api/auth/sessions/:id',
    { preHandler: app.authenticate, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (req, reply) => {
      const a = req.auth!;
      const mine = await listUserSessions(db, { userId: a.sub, kind: a.userType });
      if (!mine.some((s) => s.id === req.params.id)) throw new AppError('not_found', 'No such session');
      await revokeSession(db, req.params.id, 'revoked');
      app.forgetSessions([req.params.id]);
      if (req.params.id === a.sid) app.clearSession(reply);
      return reply.status(204).send();
    },
  );
}
