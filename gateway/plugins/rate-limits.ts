/**
 * Request limits (@fastify/rate-limit; Redis store when REDIS_URL is set so every gateway
 * process shares the counters, in-memory otherwise):
 *  - login: per client IP and per account (tenant slug + email), checked by the login route
 *    through `app.loginLimits(req, email, tenant)`; over the limit → 429 + Retry-After and an
 *    `auth.rate_limited` audit entry;
 *  - public webhooks and web chat: every route declaring `config: { rateLimitKind: 'webhook' |
 *    'webchat' }` is limited per tenant address (Twilio `To`, Africa's Talking `to`, web-chat slug).
 *  - password reset requests (`rateLimitKind: 'password_reset'`): per client IP (the login count)
 *    and per account (tenant slug + email in the body, RESET_PER_ACCOUNT per login window), whether
 *    or not the account exists, so the limit itself tells nothing.
 * Counts and windows come from cfg.rateLimits.
 */
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { audit } from '../../core/services/tenancy/audit.ts';
import { HttpError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** @throws HttpError 429 (Retry-After set on the reply) when the IP or the account is over its login limit. */
    loginLimits(req: FastifyRequest, reply: FastifyReply, email: string, tenant?: string): Promise<void>;
  }
  interface FastifyContextConfig {
    rateLimitKind?: 'webhook' | 'webchat' | 'password_reset';
  }
}

/** Password reset requests per account (tenant + email) per login window. */
export const RESET_PER_ACCOUNT = 5;

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

/** Sets Retry-After (seconds, RFC 9110) on the reply and returns the 429 to throw. */
function tooMany(reply: FastifyReply, ttlInSeconds: number): HttpError {
  const s = Math.max(1, ttlInSeconds);
  reply.header('retry-after', String(s));
  return new HttpError(429, 'rate_limited', `Too many requests; try again in ${s} s`);
}

export const rateLimitPlugin = fp(
  async (app) => {
    const { cfg, db } = app.deps;
    const redis = cfg.redisUrl ? new Redis(cfg.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 }) : undefined;
    if (redis) app.addHook('onClose', async () => void redis.disconnect());
    await app.register(rateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: `${cfg.redisPrefix}:rl:` } : {}),
      skipOnError: true, // a Redis outage must not take logins and webhooks down with it
    });
    const L = cfg.rateLimits;
    const limiter = (kind: string, max: number, timeWindow: number, key: (req: FastifyRequest) => string): Limiter =>
      app.createRateLimit({ max, timeWindow, keyGenerator: (req) => `${kind}:${key(req)}` }) as Limiter;

    const accounts = new WeakMap<FastifyRequest, string>();
    const loginIp = limiter('login-ip', L.loginPerIp, L.loginWindowMs, (req) => req.ip);
    const loginAccount = limiter('login-acct', L.loginPerAccount, L.loginWindowMs, (req) => accounts.get(req) ?? '');

    app.decorate('loginLimits', async (req: FastifyRequest, reply: FastifyReply, email: string, tenant?: string) => {
      accounts.set(req, `${(tenant ?? '-').toLowerCase()}:${email.trim().toLowerCase()}`);
      const [byIp, byAccount] = await Promise.all([loginIp(req), loginAccount(req)]);
      const over = [byIp, byAccount].find((r) => r.isExceeded);
      if (!over) return;
      await audit(db, {
        actorType: 'anonymous',
        action: 'auth.rate_limited',
        target: email.trim().toLowerCase(),
        data: { tenant: tenant ?? null, by: over === byIp ? 'ip' : 'account' },
        ip: req.ip,
      });
      throw tooMany(reply, over.ttlInSeconds ?? 1);
    });

    // Public inbound routes: one bucket per tenant address, so one noisy tenant cannot starve others.
    const inbound = limiter('inbound', L.webhookPerTenant, L.webhookWindowMs, (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const p = (req.params ?? {}) as Record<string, unknown>;
      return String(b.To ?? b.to ?? p.slug ?? req.ip);
    });
    const inboundGuard: preHandlerAsyncHookHandler = async (req, reply) => {
      const r = await inbound(req);
      if (r.isExceeded) throw tooMany(reply, r.ttlInSeconds ?? 1);
    };
    const resetIp = limiter('reset-ip', L.loginPerIp, L.loginWindowMs, (req) => req.ip);
    const resetAccount = limiter('reset-acct', RESET_PER_ACCOUNT, L.loginWindowMs, (req) => {
      const b = (req.body ?? {}) as { email?: unknown; tenant?: unknown };
      return `${String(b.tenant ?? '-').toLowerCase()}:${String(b.email ?? '').trim().toLowerCase()}`;
    });
    const resetGuard: preHandlerAsyncHookHandler = async (req, reply) => {
      for (const r of await Promise.all([resetIp(req), resetAccount(req)])) if (r.isExceeded) throw tooMany(reply, r.ttlInSeconds ?? 1);
    };
    app.addHook('onRoute', (route) => {
      if (!route.config?.rateLimitKind) return;
      const guard = route.config.rateLimitKind === 'password_reset' ? resetGuard : inboundGuard;
      const pre = route.preHandler;
      route.preHandler = pre ? [guard, ...(Array.isArray(pre) ? pre : [pre])] : [guard];
    });

  },
  { name: 'aizalo-rate-limits' },
);
