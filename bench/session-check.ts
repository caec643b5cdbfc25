/**
 * The server-side session check's cost per authenticated request (issue 14), on a scratch
 * PostgreSQL database and the real Redis, through the real Fastify app (`app.inject`, so no
 * network noise). One tenant user signs in; then, interleaved in the same run, N requests each to:
 *  - `jwt only`      — a route whose preHandler only verifies the JWT (what a request cost before
 *                      sessions were server-side: the baseline),
 *  - `session, cache` — `app.authenticate` with the default per-process cache (SESSION_CACHE_MS 2 000),
 *  - `session, no cache` — the same with SESSION_CACHE_MS=0 (one PostgreSQL round trip each time).
 * Prints p50 / p99 (ms) of each whole request and of the preHandler alone (the auth work itself,
 * less sensitive to a busy machine), and the added latency over the baseline. Goal: < 1 ms added
 * at p99 with the cache.
 *
 * Run: npx tsx bench/session-check.ts [--iterations 5000]
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createTenant } from '../core/services/tenancy/tenants.ts';
import { hashPassword } from '../core/services/tenancy/passwords.ts';
import { createRuntime } from '../bin/runtime.ts';
import { buildApp } from '../gateway/app.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '5000' } } });
const N = Number(values.iterations);
const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
const env = {
  PORT: '0',
  HOST: '127.0.0.1',
  ROLE: 'worker', // no app of its own: this bench builds its two apps below
  DATABASE_URL: dbUrl(dbName),
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `aizalo-bench-${randomBytes(4).toString('hex')}`,
  SECRET_KEY: 'bench-secret-key-0123456789',
  LOG_LEVEL: 'silent',
};
await adminQuery(`CREATE DATABASE ${dbName}`);
const rt = await createRuntime(loadConfig(env), { logger: createLogger('silent') });

/** Time spent in the last preHandler run (ms), read after each request. */
let lastPre = 0;
const timed =
  (fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
  async (req: FastifyRequest, reply: FastifyReply) => {
    const t0 = performance.now();
    await fn(req, reply);
    lastPre = performance.now() - t0;
  };

/** An app with the two probe routes; `cacheMs` sets SESSION_CACHE_MS. */
async function probeApp(cacheMs: number): Promise<FastifyInstance> {
  const app = await buildApp({ cfg: loadConfig({ ...env, SESSION_CACHE_MS: String(cacheMs) }), db: rt.db, queue: rt.queue, bus: rt.bus, box: rt.box, log: rt.log });
  app.get('/bench/jwt', { preHandler: timed((req) => req.jwtVerify()) }, async () => ({ ok: true }));
  app.get('/bench/session', { preHandler: timed((req, reply) => app.authenticate.call(app, req, reply) as Promise<unknown>) }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (ms: number) => ms.toFixed(3).padStart(7);

try {
  const tenant = await createTenant(rt.db, { slug: 'bench-sessions', name: 'Bench', industry: 'hotels', status: 'active' });
  await rt.db.query(`insert into tenant_users (tenant_id, email, password_hash, role) values ($1, 'owner@bench.test', $2, 'owner')`, [
    tenant.id,
    await hashPassword('bench-password-1'),
  ]);
  const cached = await probeApp(2_000);
  const uncached = await probeApp(0);
  const login = await cached.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owner@bench.test', password: 'bench-password-1', tenant: 'bench-sessions' } });
  const { token } = login.json() as { token: string };
  const headers = { authorization: `Bearer ${token}` };

  const runs = { 'jwt only (baseline)': [] as number[], 'session, cache': [] as number[], 'session, no cache': [] as number[] };
  const pre = { 'jwt only (baseline)': [] as number[], 'session, cache': [] as number[], 'session, no cache': [] as number[] };
  const probes: Array<[keyof typeof runs, FastifyInstance, string]> = [
    ['jwt only (baseline)', cached, '/bench/jwt'],
    ['session, cache', cached, '/bench/session'],
    ['session, no cache', uncached, '/bench/session'],
  ];
  for (let i = 0; i < 200; i++) for (const [, app, url] of probes) await app.inject({ method: 'GET', url, headers }); // warm-up
  for (let i = 0; i < N; i++)
    for (const [name, app, url] of probes) {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      runs[name].push(performance.now() - t0);
      pre[name].push(lastPre);
      if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
    }
  for (const [title, set] of [['whole request (app.inject)', runs], ['preHandler only (the auth work)', pre]] as const) {
    const base = set['jwt only (baseline)'];
    console.log(`${title}, ${N} requests each, interleaved (ms):`);
    for (const [name, xs] of Object.entries(set)) {
      const added = name === 'jwt only (baseline)' ? '' : `  added p50 ${f(pct(xs, 50) - pct(base, 50))}  added p99 ${f(pct(xs, 99) - pct(base, 99))}`;
      console.log(`  ${name.padEnd(20)} p50 ${f(pct(xs, 50))}  p99 ${f(pct(xs, 99))}${added}`);
    }
  }
  await cached.close();
  await uncached.close();
} finally {
  await rt.stop();
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
