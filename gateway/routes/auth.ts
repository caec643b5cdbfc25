/**
 * Sign-in for both identities:
 *  POST /api/auth/login {email, password, tenant?} → 200 {user, token, expiresIn (s)} + session cookie.
 *    `tenant` (slug) given → tenant user; absent → platform user. Wrong credentials → 401;
 *    a suspended/canceled tenant's user → 403 tenant_suspended; over the login limits → 429.
 *  POST /api/auth/logout → 204, cookie cleared, the server-side session revoked.
 *  GET  /api/auth/me → {user, tenant?, viewAs?}.
 *  POST /api/auth/password {currentPassword, newPassword} → 204; wrong current → 403; weak → 400;
 *    more than RATE_LIMIT_PASSWORD_CHANGE attempts in the login window → 429. Other sessions end.
 * Sign-in throttling: app.loginGuard (gateway/plugins/rate-limits.ts).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../core/services/tenancy/audit.ts';
import { changePassword, checkLogin, loadIdentity } from '../../core/services/tenancy/auth.ts';
import { AppError } from '../../core/errors.ts';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  },
  { additionalProperties: false },
);
const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const User = Type.Object({
  id: Type.String(),
  userType: Type.Union([Type.Literal('platform'), Type.Literal('tenant')]),
  role: Type.String(),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  tenantId: Type.Optional(Type.String()),
});

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.post<{ Body: { email: string; password: string; tenant?: string } }>(
    '/api/auth/login',
    { schema: { body: LoginBody, response: { 200: Type.Object({ user: User, token: Type.String(), expiresIn: Type.Integer() }) } } },
    async (req, reply) => {
      const { email, password, tenant } = req.body;
      await app.loginGuard.before(req, reply, email, tenant);
      const r = await checkLogin(db, { email, password, tenant }, req.ip);
      // A suspended tenant's user with the right password is not a guess.
      await app.loginGuard.after(req, r.ok || r.reason === 'tenant_suspended', email, tenant);
      if (!r.ok && r.reason === 'tenant_suspended')
        throw new AppError('tenant_suspended', 'This business account is suspended; contact Aizalo support to restore access');
      if (!r.ok) throw new AppError('invalid_credentials', 'Wrong email, password or business');
      const { identity: u } = r;
      const token = await app.issueSession(req, reply, { sub: u.sub, userType: u.userType, role: u.role, ...(u.tenantId ? { tenantId: u.tenantId } : {}) });
      return { user: { id: u.sub, userType: u.userType, role: u.role, email: u.email, name: u.name, ...(u.tenantId ? { tenantId: u.tenantId } : {}) }, token, expiresIn: app.deps.cfg.security.sessionMaxAgeS };
    },
  );

  app.post('/api/auth/logout', async (req, reply) => {
    try {
      await app.authenticate.call(app, req, reply);
    } catch {
      /* signing out while signed out is fine */
    }
    await app.endSession(req, 'logout');
    if (req.auth)
      await audit(db, {
        tenantId: req.auth.tenantId,
        actorType: req.auth.userType === 'tenant' ? 'tenant_user' : 'platform_user',
        actorId: req.auth.sub,
        action: 'auth.logout',
        ip: req.ip,
      });
    app.clearSession(reply);
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { preHandler: app.authenticate }, async (req) => {
    const a = req.auth!;
    const u = await loadIdentity(db, a.userType, a.sub, a.tenantId);
    if (!u) throw new AppError('unauthorized', 'This account no longer exists');
    return {
      user: { id: u.sub, userType: u.userType, role: u.role, email: u.email, name: u.name, ...(u.tenantId ? { tenantId: u.tenantId } : {}) },
      ...(a.tenant ? { tenant: a.tenant } : {}),
      ...(a.viewAs ? { viewAs: { ...a.viewAs, active: !!a.tenant?.viewAs } } : {}),
    };
  });

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/auth/password',
    { schema: { body: PasswordBody }, preHandler: app.authenticate },
    async (req, reply) => {
      const a = req.auth!;
      await app.passwordChangeLimit(req, reply, `${a.userType}:${a.sub}`);
      const ok = await changePassword(db, a, req.body.currentPassword, req.body.newPassword, req.ip);
      if (!ok) throw new AppError('wrong_password', 'The current password is wrong');
      app.forgetSessions([]); // the user's other sessions were revoked: no process may trust them from its cache
      return reply.status(204).send();
    },
  );
}
