/**
 * Sessions and permission checks for the REST API.
 *
 * A session is a JWT (HS256, @fastify/jwt; key derived from SECRET_KEY) carried in the signed-in
 * browser's httpOnly cookie `aizalo_session` or in `Authorization: Bearer <token>` (the header
 * wins when both are present). Payload: `{ sub, userType: 'platform'|'tenant', role, tenantId?,
 * viewAs?: { tenantId, expiresAt (epoch ms) } }`, valid for SESSION_TTL_S.
 *
 * Decorators: `app.authenticate` (preHandler; 401), `app.requireTenantRole(perm)` and
 * `app.requirePlatformRole(perm)` (preHandlers; 401 when signed out, 403 when not allowed),
 * `app.issueSession(req, reply, payload)`, `app.authClock.now()` (ms; tests may replace `now`),
 * `app.apiRoutes` (every /api/ route, for security sweeps).
 * `request.auth` is the verified payload plus `tenant` (the tenant the caller acts in, if any).
 * A tenant user's session stops working as soon as the tenant is suspended or canceled.
 * Every /api/tenant/* and /api/admin/* route is gated before body validation (401 signed out,
 * 403 wrong kind of user), whether or not the route adds a permission preHandler.
 */
import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { tenants } from '../../core/db/schema/index.ts';
import {
  platformCan,
  tenantCan,
  type PlatformPermission,
  type TenantPermission,
  type TenantRole,
} from '../../core/services/tenancy/permissions.ts';
import { HttpError } from '../errors.ts';

export const SESSION_COOKIE = 'aizalo_session';
export const SESSION_TTL_S = 8 * 60 * 60;

export interface SessionPayload {
  sub: string;
  userType: 'platform' | 'tenant';
  role: string;
  tenantId?: string;
  viewAs?: { tenantId: string; expiresAt: number };
}

export interface AuthContext extends SessionPayload {
  /** The tenant the caller acts in: its own, or (platform owner) an unexpired view-as tenant. */
  tenant?: { id: string; role: TenantRole; viewAs: boolean };
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionPayload;
    user: SessionPayload;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: preHandlerAsyncHookHandler;
    requireTenantRole(perm: TenantPermission): preHandlerAsyncHookHandler;
    requirePlatformRole(perm: PlatformPermission): preHandlerAsyncHookHandler;
    issueSession(req: FastifyRequest, reply: FastifyReply, payload: SessionPayload): Promise<string>;
    clearSession(reply: FastifyReply): void;
    authClock: { now(): number };
    /** Every /api/ route registered after this plugin (method, url) — the security sweep tests walk it. */
    apiRoutes: Array<{ method: string; url: string }>;
  }
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in first');

export const authPlugin = fp(
  async (app) => {
    const key = createHmac('sha256', app.deps.cfg.secretKey).update('aizalo-session-jwt').digest('hex');
    await app.register(cookie);
    await app.register(jwt, { secret: key, cookie: { cookieName: SESSION_COOKIE, signed: false }, sign: { expiresIn: SESSION_TTL_S } });
    app.decorate('authClock', { now: () => Date.now() });
    app.decorateRequest('auth', undefined);
    app.decorate('apiRoutes', [] as Array<{ method: string; url: string }>);
    app.addHook('onRoute', (r) => {
      if (!r.url.startsWith('/api/')) return;
      for (const method of [r.method].flat()) if (method !== 'HEAD') app.apiRoutes.push({ method, url: r.url });
    });

    const authenticate: preHandlerAsyncHookHandler = async function (req) {
      if (req.auth) return;
      let p: SessionPayload;
      try {
        p = await req.jwtVerify<SessionPayload>();
      } catch {
        throw unauthorized();
      }
      const ctx: AuthContext = { sub: p.sub, userType: p.userType, role: p.role, tenantId: p.tenantId, viewAs: p.viewAs };
      if (p.userType === 'tenant' && p.tenantId) {
        const [t] = await app.deps.db.withTenant(p.tenantId, (tx) => tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, p.tenantId!)));
        if (!t || t.status === 'suspended' || t.status === 'canceled')
          throw new HttpError(403, 'tenant_suspended', 'This business account is suspended; contact Aizalo support');
        ctx.tenant = { id: p.tenantId, role: p.role as TenantRole, viewAs: false };
      } else if (p.userType === 'platform' && p.viewAs && p.viewAs.expiresAt > app.authClock.now() && platformCan(p.role, 'view_as')) {
        // View-as is read-only: the owner sees what a viewer of that tenant sees.
        ctx.tenant = { id: p.viewAs.tenantId, role: 'viewer', viewAs: true };
      }
      req.auth = ctx;
    };
    app.decorate('authenticate', authenticate);

    const tenantGate: (a: AuthContext) => asserts a is AuthContext & { tenant: NonNullable<AuthContext['tenant']> } = (a) => {
      if (a.tenant) return;
      if (a.userType === 'platform' && a.viewAs) throw new HttpError(403, 'view_as_expired', 'The view-as-tenant session has expired');
      throw new HttpError(403, 'forbidden', 'This API is for tenant users');
    };
    const platformGate = (a: AuthContext) => {
      if (a.userType !== 'platform') throw new HttpError(403, 'forbidden', 'This API is for platform users');
    };
    // Coarse gate before body validation, so a signed-out caller gets 401 (and a caller of the
    // wrong kind 403) rather than a 400 about the body. Fine-grained permissions: preHandlers below.
    app.addHook('preValidation', async (req, reply) => {
      const url = req.routeOptions.url ?? '';
      const kind = url.startsWith('/api/tenant/') ? 'tenant' : url.startsWith('/api/admin/') ? 'admin' : undefined;
      if (!kind) return;
      await authenticate.call(app, req, reply);
      if (kind === 'tenant') tenantGate(req.auth!);
      else platformGate(req.auth!);
    });

    app.decorate('requireTenantRole', (perm: TenantPermission): preHandlerAsyncHookHandler =>
      async function (req, reply) {
        await authenticate.call(app, req, reply);
        const a = req.auth!;
        tenantGate(a);
        if (!tenantCan(a.tenant.role, perm)) throw new HttpError(403, 'forbidden', `Your role (${a.tenant.role}) may not do this (${perm})`);
      },
    );

    app.decorate('requirePlatformRole', (perm: PlatformPermission): preHandlerAsyncHookHandler =>
      async function (req, reply) {
        await authenticate.call(app, req, reply);
        const a = req.auth!;
        if (a.userType !== 'platform' || !platformCan(a.role, perm))
          throw new HttpError(403, 'forbidden', `Not allowed (${perm})`);
      },
    );

    app.decorate('issueSession', async (req: FastifyRequest, reply: FastifyReply, payload: SessionPayload) => {
      const token = await reply.jwtSign(payload);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        path: '/',
        maxAge: SESSION_TTL_S,
      });
      return token;
    });
    app.decorate('clearSession', (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });
  },
  { name: 'aizalo-auth', dependencies: [] },
);
