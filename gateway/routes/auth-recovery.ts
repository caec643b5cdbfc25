/**
 * Getting into the console without a password yet, or back in after losing it (console contract):
 *  GET  /api/auth/invite?token= → {email, tenant: {slug, name}}; bad/used/expired → 400 invalid_invite
 *  POST /api/auth/invite/accept {token, password} → 200 {user, token, expiresIn, tenant} + session
 *       cookie (signed in as the new member); a second use → 400 invalid_invite; weak → 400
 *  POST /api/auth/password-reset {email, tenant?} → 202 always, whether or not the account exists;
 *       the link (/app/reset?token=…&tenant=SLUG, 30 min, once) goes by email. Rate-limited per IP
 *       and per account (429). The lookup and the mail run after the answer, so the answer's
 *       timing does not depend on the account existing.
 *  POST /api/auth/password-reset/confirm {token, newPassword} → 204; used/expired/unknown → 400
 *       invalid_reset_token; weak → 400 weak_password.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { acceptTenantInvite, previewInvite } from '../../core/services/tenancy/invites-tenant.ts';
import { confirmPasswordReset, requestPasswordReset, resetEmail, resetLink } from '../../core/services/tenancy/password-reset.ts';
import { NoContent, Nullable, Uuid, withErrors } from '../schemas/common.ts';

const Token = Type.String({ minLength: 10, maxLength: 1000 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const Tenant = Type.Object({ slug: Type.String(), name: Type.String() });

export const authRecoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, cfg, mailer, log } = app.deps;

  app.get(
    '/api/auth/invite',
    {
      schema: { querystring: Type.Object({ token: Token }), response: withErrors({ 200: Type.Object({ email: Type.String(), tenant: Tenant }) }) },
      config: { rateLimitKind: 'webhook' },
    },
    async (req) => previewInvite(db, cfg.secretKey, req.query.token),
  );

  app.post(
    '/api/auth/invite/accept',
    {
      schema: {
        body: Type.Object({ token: Token, password: Password }, { additionalProperties: false }),
        response: withErrors({
          200: Type.Object({
            user: Type.Object({ id: Uuid, userType: Type.Literal('tenant'), role: Type.String(), email: Type.String(), name: Nullable(Type.String()), tenantId: Uuid }),
            token: Type.String(),
            expiresIn: Type.Integer({ description: 'seconds' }),
            tenant: Tenant,
          }),
        }),
      },
      config: { rateLimitKind: 'webhook' },
    },
    async (req, reply) => {
      const r = await acceptTenantInvite(db, cfg.secretKey, req.body.token, req.body.password, req.ip);
      const token = await app.issueSession(req, reply, { sub: r.userId, userType: 'tenant', role: r.role, tenantId: r.tenantId });
      return {
        user: { id: r.userId, userType: 'tenant' as const, role: r.role, email: r.email, name: r.name, tenantId: r.tenantId },
        token,
        expiresIn: cfg.security.sessionMaxAgeS,
        tenant: r.tenant,
      };
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 254 }), tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 202: Type.Object({ message: Type.String() }) }),
      },
    },
    async (req, reply) => {
      const { email, tenant } = req.body;
      // Per address and per account (tenant + email), whether or not the account exists.
      await app.passwordResetLimits(req, reply, `${tenant ?? '-'}:${email}`);
      const ip = req.ip;
      // After the answer: the caller learns nothing from how long we took.
      setImmediate(() => {
        void (async () => {
          const issued = await requestPasswordReset(db, { email, tenant }, ip);
          if (!issued) return;
          await mailer.send(resetEmail(issued.email, resetLink(cfg.publicUrl, issued.token, issued.tenant?.slug), issued.tenant));
        })().catch((err: unknown) => log.warn({ err }, 'password reset mail failed'));
      });
      return reply.status(202).send({ message: 'If that account exists, a reset link is on its way by email.' });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        body: Type.Object({ token: Token, newPassword: Password }, { additionalProperties: false }),
        response: withErrors({ 204: NoContent }),
      },
      config: { rateLimitKind: 'webhook' },
    },
    async (req, reply) => {
      await confirmPasswordReset(db, req.body.token, req.body.newPassword, req.ip);
      app.forgetSessions([]); // the account's sessions were revoked: no process may trust them from its cache
      return reply.status(204).send();
    },
  );
};
