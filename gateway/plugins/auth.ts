/**
 * Sessions and permission checks for the REST API.
 *
 * A session is a server-side row (core/services/tenancy/sessions.ts) named by a JWT (HS256,
 * @fastify/jwt; key derived from SECRET_KEY) carried in the signed-in browser's httpOnly,
 * SameSite=Strict cookie `aizalo_session` or in `Authorization: Bearer <token>` (the header wins
 * when both are present). Payload: `{ sid, sub, userType: 'platform'|'tenant', role, tenantId?,
 * viewAs?: { tenantId, expiresAt (epoch ms) } }`, signed for SESSION_MAX_AGE_S. Every request
 * checks the row (revoked, absolute expiry, idle timeout) through a per-process cache of at most
 * SESSION_CACHE_MS (≤ 5 s), so a revocation anywhere takes effect everywhere within that time
 * (at once in the process that revoked it). A JWT without `sid` is refused.
 *
 * Decorators: `app.authenticate` (preHandler; 401), `app.requireTenantRole(perm)` and
 * `app.requirePlatformRole(perm)` (preHandlers; 401 when signed out, 403 when not allowed),
 * `app.issueSession(req, reply, payload)` (creates the row; replacing a view-as session revokes
 * it), `app.endSession(req, reason)`, `app.forgetSessions(ids)` (drop cache entries),
 * `app.clearSession(reply)`, `app.authClock.now()` (ms; tests may replace `now`),
 * `app.apiRoutes` (every /api/ route, for security sweeps).
 * `request.auth` is the verified payload plus `tenant` (the tenant the caller acts in, if any).
 * A tenant user's session stops working as soon as the tenant is suspended or canceled (within
 * the cache time).
 * Every /api/tenant/* and /api/admin/* route is gated before body validation (401 signed out,
 * 403 wrong kind of user), whether or not the route adds a permission preHandler.
 */
import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import { LRUCache } from 'lru-cache';
import { topics } from '../../core/events.ts';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { checkSession, createSession, revokeSession, type LiveSession } from '../../core/services/tenancy/sessions.ts';
import {
  platformCan,
  tenantCan,
  type PlatformPermission,
  type TenantPermission,
  type TenantRole,
} from '../../core/services/tenancy/permissions.ts';
import { AppError } from '../../core/errors.ts';

export const SESSION_COOKIE = 'aizalo_session';

export interface SessionPayload {
  /** Id of the server-side session row (set by issueSession). */
  sid?: string;
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
    /** Revoke the caller's own session (logout). */
    endSession(req: FastifyRequest, reason: string): Promise<void>;
    /** Forget cached checks of these sessions (after revoking them in this process). */
    forgetSessions(ids: string[]): void;
    clearSession(reply: FastifyReply): void;
    authClock: { now(): number };
    /** Every /api/ route registered after this plugin (method, url) — the security sweep tests walk it. */
    apiRoutes: Array<{ method: string; url: string }>;
  }
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

const unauthorized = () => new AppError('unauthorized', 'Sign in first');
const BLOCKED_TENANT = new Set(['suspended', 'canceled']);

export const authPlugin = fp(
  async (app) => {
    const { cfg, db } = app.deps;
    const sec = cfg.security;
    const key = createHmac('sha256', cfg.secretKey).update('aizalo-session-jwt').digest('hex');
    await app.register(cookie);
    await app.register(jwt, { secret: key, cookie: { cookieName: SESSION_COOKIE, signed: false }, sign: { expiresIn: sec.sessionMaxAgeS } });
    // 0 = no idle timeout (the absolute lifetime still applies).
    const idleS = sec.sessionIdleS || 10 * 365 * 86_400;
    // Checked sessions, hits and misses alike (a revoked row never comes back).
    const cache = sec.sessionCacheMs > 0 ? new LRUCache<string, { s: LiveSession | false }>({ max: 50_000, ttl: sec.sessionCacheMs }) : undefined;
    const liveSession = async (sid: string): Promise<LiveSession | undefined> => {
      const hit = cache?.get(sid);
      if (hit) return hit.s || undefined;
      const s = await checkSession(db, sid, idleS);
      cache?.set(sid, { s: s ?? false });
      return s;
    };
    // Cross-process invalidation over the event bus (Redis pub/sub in production): a revocation
    // or a platform/team write here makes every process re-check its sessions at once; the cache
    // time bounds it should a message be lost.
    const off = cache ? await app.deps.bus.subscribe(topics.platformSessions, () => cache.clear()) : undefined;
    app.addHook('onClose', async () => void (await off?.().catch(() => undefined)));
    const invalidate = (ids: string[]) => {
      for (const id of ids) cache?.delete(id);
      if (cache) void app.deps.bus.publish(topics.platformSessions, { type: 'sessions.invalidate' }).catch(() => undefined);
    };
    app.decorate('forgetSessions', invalidate);
    // Suspending a tenant, changing or removing a team member: facts a cached check carries.
    // onSend, not onResponse: the cache is clear before the client can send its next request.
    app.addHook('onSend', async (req, reply, payload) => {
      if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 400) return payload;
      const url = req.routeOptions.url ?? '';
      if (url.startsWith('/api/admin/') || url.startsWith('/api/tenant/users') || url.startsWith('/api/tenant/owner-transfer')) invalidate([]);
      return payload;
    });
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
      const live = p.sid ? await liveSession(p.sid) : undefined;
      if (!live || live.userId !== p.sub || live.kind !== p.userType) throw unauthorized();
      const ctx: AuthContext = { sid: p.sid, sub: p.sub, userType: p.userType, role: p.role, tenantId: p.tenantId, viewAs: p.viewAs };
      if (p.userType === 'tenant' && p.tenantId) {
        if (live.tenantId !== p.tenantId || !live.tenantStatus || BLOCKED_TENANT.has(live.tenantStatus))
          throw new AppError('tenant_suspended', 'This business account is suspended; contact Aizalo support');
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
      if (a.userType === 'platform' && a.viewAs) throw new AppError('view_as_expired', 'The view-as-tenant session has expired');
      throw new AppError('forbidden', 'This API is for tenant users');
    };
    const platformGate = (a: AuthContext) => {
      if (a.userType !== 'platform') throw new AppError('forbidden', 'This API is for platform users');
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
        if (!tenantCan(a.tenant.role, perm)) throw new AppError('forbidden', `Your role (${a.tenant.role}) may not do this (${perm})`);
      },
    );

    app.decorate('requirePlatformRole', (perm: PlatformPermission): preHandlerAsyncHookHandler =>
      async function (req, reply) {
        await authenticate.call(app, req, reply);
        const a = req.auth!;
        if (a.userType !== 'platform' || !platformCan(a.role, perm))
          throw new AppError('forbidden', `Not allowed (${perm})`);
      },
    );

    app.decorate('issueSession', async (req: FastifyRequest, reply: FastifyReply, payload: SessionPayload) => {
      const { sid: _old, ...claims } = payload;
      const { id } = await createSession(db, {
        userId: claims.sub,
        kind: claims.userType,
        tenantId: claims.tenantId,
        maxAgeS: sec.sessionMaxAgeS,
        userAgent: req.headers['user-agent'],
        ip: req.ip,
      });
      // Leaving (or switching) a view-as session ends it: its token must not keep working.
      if (req.auth?.sid && req.auth.viewAs) await app.endSession(req, 'view_as_end');
      const token = await reply.jwtSign({ ...claims, sid: id });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        // Strict: the console and admin are same-origin apps; no cross-site navigation needs the cookie.
        sameSite: 'strict',
        secure: req.protocol === 'https',
        path: '/',
        maxAge: sec.sessionMaxAgeS,
      });
      return token;
    });
    app.decorate('endSession', async (req: FastifyRequest, reason: string) => {
      const sid = req.auth?.sid;
      if (!sid) return;
      await revokeSession(db, sid, reason);
      invalidate([sid]);
    });
    app.decorate('clearSession', (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });
  },
  { name: 'aizalo-auth', dependencies: [] },
);
