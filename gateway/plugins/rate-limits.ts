/**
 * Request limits (@fastify/rate-limit fixed windows; Redis store when REDIS_URL is set so every
 * gateway process shares the counters, in-memory otherwise). Counts from cfg.rateLimits and
 * cfg.security; each limit answers 429 + Retry-After in the one error shape.
 *
 *  - Login (`app.loginGuard`): per client address across accounts (a fixed window), and per
 *    (account, address) with exponential backoff (login-throttle.ts) — never per account alone, so
 *    an attacker cannot lock the owner out. Lockouts are audited (`auth.rate_limited`); repeated
 *    failures on one account from anywhere alert its owner (`notifyRepeatedLoginFailures`).
 *  - Password change (`app.passwordChangeLimit`): per user. Password reset
 *    (`app.passwordResetLimits`): per address and per account.
 *  - Webhooks (`app.webhookLimits`): the tenant's bucket is charged only after the request proved
 *    who sent it (signature/token); failed proofs are charged to the client address's own bucket,
 *    so nobody can use up a tenant's limit with unsigned requests (issue 14, finding 1).
 *  - Routes with `config: { rateLimitKind: 'webhook' }` are limited per client address (e.g. the
 *    invite acceptance); `'webchat'` (the web-chat upgrade) per client address too, before the
 *    upgrade. Web-chat frames and new visitors: `app.webchatLimits` (per visitor across sockets,
 *    per address, per tenant for new visitors).
 */
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { audit } from '../../core/services/tenancy/audit.ts';
import { notifyRepeatedLoginFailures } from '../../core/services/tenancy/auth.ts';
import { AppError } from '../../core/errors.ts';
import { createLoginThrottle } from './login-throttle.ts';

export interface LoginGuard {
  /** @throws AppError 429 (Retry-After set) when the address or this (account, address) pair must wait. */
  before(req: FastifyRequest, reply: FastifyReply, email: string, tenant?: string): Promise<void>;
  /** Record the outcome of the password check. */
  after(req: FastifyRequest, ok: boolean, email: string, tenant?: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    loginGuard: LoginGuard;
    /** @throws AppError 429 after too many password-change attempts by this user. */
    passwordChangeLimit(req: FastifyRequest, reply: FastifyReply, userId: string): Promise<void>;
    /** @throws AppError 429 after too many reset requests from this address or for this account. */
    passwordResetLimits(req: FastifyRequest, reply: FastifyReply, account: string): Promise<void>;
    webhookLimits: {
      /** Charge the verified tenant address's bucket. @throws AppError 429 when over. */
      tenant(req: FastifyRequest, reply: FastifyReply, address: string): Promise<void>;
      /** Charge a failed proof to the client address. @returns 429 to throw when over, else the given error. */
      failed(req: FastifyRequest, reply: FastifyReply, err: AppError): Promise<AppError>;
    };
    webchatLimits: {
      /** One customer frame. @returns false when the visitor (any socket) or the address is over. */
      message(req: FastifyRequest, visitorKey: string): Promise<boolean>;
      /** A visitor never seen before. @returns false when the tenant's new-visitor ceiling is reached. */
      newVisitor(req: FastifyRequest, tenantId: string): Promise<boolean>;
    };
  }
  interface FastifyContextConfig {
    rateLimitKind?: 'webhook' | 'webchat';
  }
}

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

/** Sets Retry-After (seconds, RFC 9110) on the reply and returns the 429 to throw. */
function tooMany(reply: FastifyReply, ttlInSeconds: number): AppError {
  const s = Math.max(1, Math.ceil(ttlInSeconds));
  reply.header('retry-after', String(s));
  return new AppError('rate_limited', `Too many requests; try again in ${s} s`);
}

export const rateLimitPlugin = fp(
  async (app) => {
    const { cfg, db } = app.deps;
    const L = cfg.rateLimits;
    const S = cfg.security;
    const redis = cfg.redisUrl ? new Redis(cfg.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 }) : undefined;
    if (redis) app.addHook('onClose', async () => void redis.disconnect());
    await app.register(rateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: `${cfg.redisPrefix}:rl:` } : {}),
      skipOnError: true, // a Redis outage must not take logins and webhooks down with it
    });
    // Keys of a request that are not on the request itself (account, visitor, tenant).
    const keys = new WeakMap<FastifyRequest, Record<string, string>>();
    const keyOf = (req: FastifyRequest, name: string) => keys.get(req)?.[name] ?? '';
    const setKey = (req: FastifyRequest, name: string, v: string) => keys.set(req, { ...keys.get(req), [name]: v });
    const limiter = (kind: string, max: number, timeWindow: number, key: (req: FastifyRequest) => string): Limiter =>
      app.createRateLimit({ max, timeWindow, keyGenerator: (req) => `${kind}:${key(req)}` }) as Limiter;

    // --- login, password change, password reset ---
    const loginIp = limiter('login-ip', L.loginPerIp, L.loginWindowMs, (req) => req.ip);
    const throttle = createLoginThrottle(
      { free: S.loginFreeFailures, baseMs: S.loginBackoffBaseMs, maxMs: S.loginBackoffMaxMs, windowMs: L.loginWindowMs },
      redis,
      cfg.redisPrefix,
    );
    const account = (email: string, tenant?: string) => `${(tenant ?? '-').toLowerCase()}:${email.trim().toLowerCase()}`;
    const rateLimitedAudit = (req: FastifyRequest, email: string, tenant: string | undefined, by: string, extra: Record<string, unknown> = {}) =>
      audit(db, { actorType: 'anonymous', action: 'auth.rate_limited', target: email.trim().toLowerCase(), data: { tenant: tenant ?? null, by, ...extra }, ip: req.ip });
    app.decorate('loginGuard', {
      async before(req, reply, email, tenant) {
        const byIp = await loginIp(req);
        if (byIp.isExceeded) {
          await rateLimitedAudit(req, email, tenant, 'ip');
          throw tooMany(reply, byIp.ttlInSeconds ?? 1);
        }
        const wait = await throttle.lockedFor(`${account(email, tenant)}@${req.ip}`);
        if (wait > 0) {
          await rateLimitedAudit(req, email, tenant, 'account_address', { waitMs: wait });
          throw tooMany(reply, wait / 1000);
        }
      },
      async after(req, ok, email, tenant) {
        const pair = `${account(email, tenant)}@${req.ip}`;
        if (ok) return throttle.succeed(pair);
        const { accountFailures, lockMs } = await throttle.fail(pair, account(email, tenant));
        if (lockMs > 0) await rateLimitedAudit(req, email, tenant, 'account_address', { lockMs, lockout: true });
        // Exactly at the threshold: one alert per window, however long the attack goes on.
        if (accountFailures === S.loginNotifyFailures)
          await notifyRepeatedLoginFailures(db, { email, tenant, failures: accountFailures, windowMs: L.loginWindowMs, ip: req.ip }, req.log, app.deps.mailer);
      },
    } satisfies LoginGuard);

    const pwChange = limiter('pw-change', S.passwordChangePerUser, L.loginWindowMs, (req) => keyOf(req, 'user'));
    app.decorate('passwordChangeLimit', async (req: FastifyRequest, reply: FastifyReply, userId: string) => {
      setKey(req, 'user', userId);
      const r = await pwChange(req);
      if (r.isExceeded) throw tooMany(reply, r.ttlInSeconds ?? 1);
    });
    const resetIp = limiter('pw-reset-ip', S.passwordResetPerKey * 4, L.loginWindowMs, (req) => req.ip);
    const resetAccount = limiter('pw-reset-acct', S.passwordResetPerKey, L.loginWindowMs, (req) => keyOf(req, 'account'));
    app.decorate('passwordResetLimits', async (req: FastifyRequest, reply: FastifyReply, acct: string) => {
      setKey(req, 'account', acct.trim().toLowerCase());
      const [a, b] = await Promise.all([resetIp(req), resetAccount(req)]);
      const over = [a, b].find((r) => r.isExceeded);
      if (over) throw tooMany(reply, over.ttlInSeconds ?? 1);
    });

    // --- webhooks ---
    const tenantBucket = limiter('inbound', L.webhookPerTenant, L.webhookWindowMs, (req) => keyOf(req, 'address'));
    const failureBucket = limiter('inbound-fail', S.webhookFailuresPerIp, L.webhookWindowMs, (req) => req.ip);
    app.decorate('webhookLimits', {
      async tenant(req: FastifyRequest, reply: FastifyReply, address: string) {
        setKey(req, 'address', address);
        const r = await tenantBucket(req);
        if (r.isExceeded) throw tooMany(reply, r.ttlInSeconds ?? 1);
      },
      async failed(req: FastifyRequest, reply: FastifyReply, err: AppError) {
        const r = await failureBucket(req);
        return r.isExceeded ? tooMany(reply, r.ttlInSeconds ?? 1) : err;
      },
    });

    // --- web chat ---
    const wcConnect = limiter('wc-connect', S.webchatConnectPerIp, 60_000, (req) => req.ip);
    const wcVisitor = limiter('wc-visitor', S.webchatMsgPerVisitor, 10_000, (req) => keyOf(req, 'visitor'));
    const wcIp = limiter('wc-ip', S.webchatMsgPerIp, 10_000, (req) => req.ip);
    const wcNew = limiter('wc-new', S.webchatNewVisitorsPerTenant, 60_000, (req) => keyOf(req, 'tenant'));
    app.decorate('webchatLimits', {
      async message(req: FastifyRequest, visitorKey: string) {
        setKey(req, 'visitor', visitorKey);
        const [v, ip] = await Promise.all([wcVisitor(req), wcIp(req)]);
        return !v.isExceeded && !ip.isExceeded;
      },
      async newVisitor(req: FastifyRequest, tenantId: string) {
        setKey(req, 'tenant', tenantId);
        return !(await wcNew(req)).isExceeded;
      },
    });

    // Routes that declare a kind: limited per client address before their handler (for web chat,
    // before the upgrade).
    const perIp = limiter('public-ip', L.webhookPerTenant, L.webhookWindowMs, (req) => req.ip);
    const guard = (l: Limiter): preHandlerAsyncHookHandler => async (req, reply) => {
      const r = await l(req);
      if (r.isExceeded) throw tooMany(reply, r.ttlInSeconds ?? 1);
    };
    const guards = { webhook: guard(perIp), webchat: guard(wcConnect) };
    app.addHook('onRoute', (route) => {
      const kind = route.config?.rateLimitKind;
      if (!kind) return;
      const pre = route.preHandler;
      route.preHandler = pre ? [guards[kind], ...(Array.isArray(pre) ? pre : [pre])] : [guards[kind]];
    });
  },
  { name: 'aizalo-rate-limits' },
);
