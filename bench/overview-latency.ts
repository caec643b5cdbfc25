/**
 * Platform overview latency on a scratch PostgreSQL database: 10,000 tenants (50 sales reps) with
 * 5 years of monthly payments (~30 % churn at a random month, the rest still paying; ~300k rows in
 * platform_revenue and revenue_months), 20,000 LLM attempts in the last 24 h, SMS + web-chat
 * channels. Measures, sequentially, over real HTTP with a signed-in owner:
 *  - GET /api/admin/platform-metrics (12-month MRR + movements, statuses, health incl. Redis queue counts),
 *  - same-run baseline: GET /api/auth/me (authenticated, one small query),
 * and prints median / p99 (ms) and the ratio of the medians. Goal: overview p99 < 100 ms. Also prints the
 * cold call (no cached month: all 12 computed) and the call after a payment this month (the current
 * month recomputed, 30 samples).
 *
 * Run: npx tsx bench/overview-latency.ts [--tenants 10000] [--years 5] [--iterations 300] [--keep]
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { hashPassword } from '../core/services/tenancy/passwords.ts';
import { createRuntime } from '../bin/runtime.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';

const { values } = parseArgs({ options: { tenants: { type: 'string', default: '10000' }, years: { type: 'string', default: '5' }, iterations: { type: 'string', default: '300' }, keep: { type: 'boolean', default: false } } });
const N = Number(values.tenants);
const MONTHS = Number(values.years) * 12;
const ITER = Number(values.iterations);
const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
const prefix = `aizalo-bench-${randomBytes(4).toString('hex')}`;
await adminQuery(`CREATE DATABASE ${dbName}`);
const rt = await createRuntime(
  loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: dbUrl(dbName), REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, SECRET_KEY: 'bench-secret-key-0123456789', LOG_LEVEL: 'silent' }),
  { logger: createLogger('silent') },
);
try {
  const t0 = performance.now();
  const q = (text: string, params: unknown[] = []) => rt.db.query(text, params);
  const month0 = `date_trunc('month', now() at time zone 'utc')`;
  await q(`insert into platform_users (email, password_hash, role, name) select 'rep' || g || '@bench.test', 'x', 'sales', 'Rep ' || g from generate_series(1, 50) g`);
  await q(`create table bench_t as select g, floor(random() * $2)::int as s, 0 as e, (array['starter','professional','growth'])[1 + floor(random() * 3)::int] as plan from generate_series(1, $1) g`, [N, MONTHS]);
  await q(`update bench_t set e = case when random() < 0.3 then s + floor(random() * ($1 - s))::int else $1 - 1 end`, [MONTHS]);
  await q(`with reps as (select id, row_number() over (order by email) - 1 as k from platform_users where role = 'sales')
    insert into tenants (slug, name, industry, plan_id, status, assigned_sales_rep_id, created_at)
    select 'bench-' || b.g, 'Bench tenant ' || b.g, (array['hotels','restaurants','real_estate','car_dealers','beauty','medical','tech','law','hardware'])[1 + b.g % 9],
      b.plan, case when b.e = $1 - 1 then 'active' else 'canceled' end, reps.id, (${month0} - make_interval(months => $1 - 1 - b.s)) at time zone 'utc'
    from bench_t b join reps on reps.k = b.g % 50`, [MONTHS]);
  await q(`insert into channels (tenant_id, type, provider, address) select id, 'webchat', 'webchat', slug from tenants`);
  await q(`insert into channels (tenant_id, type, provider, address) select id, 'sms', 'twilio', '+1555' || lpad((row_number() over ())::text, 7, '0') from tenants where random() < 0.2`);
  await q(`insert into platform_revenue (tenant_id, reference, method, plan_id, amount_cents, period_months, monthly_cents, period_start, period_end, paid_at)
    select t.id, 'bench-' || b.g || '-' || m, 'mpesa', b.plan, p.monthly_fee_cents, 1, p.monthly_fee_cents, ms, ms + interval '1 month', ms
    from bench_t b join tenants t on t.slug = 'bench-' || b.g join plans p on p.id = b.plan
      cross join generate_series(b.s, b.e) m
      cross join lateral (select (${month0} - make_interval(months => $1 - 1 - m)) at time zone 'utc' as ms) x`, [MONTHS]);
  await q(`insert into revenue_months (tenant_id, month, monthly_cents) select tenant_id, (period_start at time zone 'utc')::date, monthly_cents from platform_revenue`);
  await q(`insert into subscriptions (tenant_id, plan_id, status, current_period_end, first_paid_month)
    select t.id, t.plan_id, t.status, (select max(period_end) from platform_revenue r where r.tenant_id = t.id), (select min(month) from revenue_months r where r.tenant_id = t.id) from tenants t`);
  await q(`insert into ai_usage (tenant_id, provider, model, class, latency_ms, outcome, created_at)
    select (select id from tenants offset floor(random() * 100)::int limit 1), (array['gemini','gemini','gemini','groq','openai'])[1 + g % 5], 'm', 'standard', 500,
      case when g % 40 = 0 then 'server' else 'ok' end, now() - random() * interval '24 hours' from generate_series(1, 20000) g`);
  await q('analyze');
  const [{ payments }] = (await q(`select count(*)::int as payments from platform_revenue`)) as [{ payments: number }];
  console.log(`seeded ${N} tenants, ${payments} payments over ${MONTHS} months in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  await q(`insert into platform_users (email, password_hash, role) values ('owner@bench.test', $1, 'owner')`, [await hashPassword('bench-password-1')]);
  const url = (await rt.start())!.replace('[::1]', '127.0.0.1');
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@bench.test', password: 'bench-password-1' }) });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;

  const measure = async (path: string) => {
    const once = async () => {
      const res = await fetch(`${url}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      await res.arrayBuffer();
    };
    for (let i = 0; i < 20; i++) await once();
    const t: number[] = [];
    for (let i = 0; i < ITER; i++) {
      const s = performance.now();
      await once();
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b);
    return { median: t[Math.floor(t.length / 2)]!, p99: t[Math.min(t.length - 1, Math.floor(t.length * 0.99))]! };
  };
  const timed = async () => {
    const s = performance.now();
    const res = await fetch(`${url}/api/admin/platform-metrics`, { headers: { cookie } });
    await res.arrayBuffer();
    return performance.now() - s;
  };
  // Cold: no month cached yet (first call after deploy) — all 12 months computed from revenue_months.
  const cold = await timed();
  // A payment this month (or a month rollover) drops the current month: one month recomputed.
  const recompute: number[] = [];
  for (let i = 0; i < 30; i++) {
    await q(`delete from mrr_month_summaries where month = (${month0})::date`);
    recompute.push(await timed());
  }
  recompute.sort((a, b) => a - b);
  const base = await measure('/api/auth/me');
  const overview = await measure('/api/admin/platform-metrics');
  const body = (await (await fetch(`${url}/api/admin/platform-metrics`, { headers: { cookie } })).json()) as { mrrCents: number; payingTenants: number };
  console.log(`current MRR KES ${(body.mrrCents / 100).toLocaleString('en-US')} from ${body.payingTenants} paying tenants`);
  console.log(`GET /api/auth/me (baseline)        median ${base.median.toFixed(2)} ms  p99 ${base.p99.toFixed(2)} ms`);
  console.log(`overview, cold (12 months computed): ${cold.toFixed(1)} ms; current month recomputed: median ${recompute[15]!.toFixed(1)} ms, max ${recompute[29]!.toFixed(1)} ms`);
  console.log(`GET /api/admin/platform-metrics    median ${overview.median.toFixed(2)} ms  p99 ${overview.p99.toFixed(2)} ms  (${(overview.median / base.median).toFixed(1)}x baseline median; goal p99 < 100 ms)`);
} finally {
  await rt.stop();
  if (values.keep) console.log(`kept database ${dbName}`);
  else await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
