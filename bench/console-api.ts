/**
 * Console list views over HTTP (Fastify inject: routing, session auth, validation, the tenant
 * transaction, serialisation) with one big tenant on the real PostgreSQL: 10k customers, 10k
 * conversations with 50k messages, 5k bookings on 50 resources, 200 knowledge documents, 100
 * price rules with 5k offers, 10 channels. Measures GET bookings (a month, first page), resources,
 * knowledge, channels, offers, customers and conversations (inbox), each next to two baselines
 * from the same run: GET /healthz (framework overhead, no database) and a plain indexed query
 * (RLS-scoped `select … from bookings order by lower(during) limit 50`). Prints median / p99 in
 * ms and the ratio to the plain query; the goal is p99 < 100 ms.
 *
 * Run: npx tsx bench/console-api.ts [--iterations 200]
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { hashPassword } from '../core/services/tenancy/passwords.ts';
import { createTenant } from '../core/services/tenancy/tenants.ts';
import { createRuntime } from '../bin/runtime.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '200' } } });
const ITER = Number(values.iterations);
const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
await adminQuery(`CREATE DATABASE ${dbName}`);
const cfg = loadConfig({ DATABASE_URL: dbUrl(dbName), PORT: '0', HOST: '127.0.0.1', SECRET_KEY: 'bench-secret-key-0123456789abcdef', LOG_LEVEL: 'silent', DATA_DIR: '/tmp' });
const rt = await createRuntime(cfg, { logger: createLogger('silent') });
try {
  const db = rt.db;
  const tenant = await createTenant(db, { slug: 'bench-console', name: 'Bench', industry: 'hotels', status: 'active' });
  const t = tenant.id;
  await db.query(`insert into tenant_users (tenant_id, email, password_hash, role) values ($1, 'owner@bench.test', $2, 'owner')`, [t, await hashPassword('bench-password-123')]);
  await db.query(`insert into channels (tenant_id, type, provider, address) select $1, 'sms', 'twilio', '+1555' || lpad(g::text, 7, '0') from generate_series(1, 9) g`, [t]);
  await db.query(
    `with ch as (select id from channels where tenant_id = $1 and type = 'sms' limit 1),
     cu as (insert into customers (tenant_id, handle, name) select $1, '+2547' || lpad(g::text, 8, '0'), 'Customer ' || g from generate_series(1, 10000) g returning id),
     co as (insert into conversations (tenant_id, customer_id, channel_id, owner, last_message_at)
            select $1, cu.id, ch.id, case when random() < 0.33 then 'human' else 'ai' end, now() - random() * interval '30 days' from cu, ch returning id, channel_id)
     insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, created_at)
     select $1, co.id, co.channel_id, case when k % 2 = 1 then 'inbound' else 'outbound' end, case when k % 2 = 1 then 'customer' else 'ai' end,
            'message ' || k, case when k % 2 = 1 then 'processed' else 'sent' end, now() - (6 - k) * interval '1 minute'
     from co, generate_series(1, 5) k`,
    [t],
  );
  await db.query(`insert into resources (tenant_id, name, kind, slot_minutes) select $1, 'Room ' || g, 'nightly', 1440 from generate_series(1, 50) g`, [t]);
  // 100 consecutive nights per resource from 2031-01-01 → 5,000 bookings, none overlapping.
  await db.query(
    `insert into bookings (tenant_id, resource_id, customer_id, during)
     select $1, r.id, (select id from customers where tenant_id = $1 order by handle offset (g * 7 + r.n) % 10000 limit 1),
            tstzrange(timestamptz '2031-01-01 11:00+03' + (g || ' days')::interval, timestamptz '2031-01-02 10:00+03' + (g || ' days')::interval)
     from (select id, row_number() over () as n from resources where tenant_id = $1) r, generate_series(0, 99) g`,
    [t],
  );
  await db.query(`insert into kb_documents (tenant_id, title, format, body, status, chunk_count, chunks_done, chunks_total) select $1, 'Doc ' || g, 'text', repeat('text ', 200), 'ready', 4, 4, 4 from generate_series(1, 200) g`, [t]);
  await db.query(`insert into price_rules (tenant_id, product, list_cents, floor_cents, step_cents) select $1, 'Item ' || g, 100000, 80000, 5000 from generate_series(1, 100) g`, [t]);
  await db.query(
    `insert into price_offers (tenant_id, rule_id, customer_id, round, offered_cents, decision)
     select $1, (select id from price_rules where tenant_id = $1 offset g % 100 limit 1), (select id from customers where tenant_id = $1 offset g % 10000 limit 1), 1, 95000, 'counter'
     from generate_series(1, 5000) g`,
    [t],
  );
  await db.query('analyze');
  const app = rt.app!;
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owner@bench.test', password: 'bench-password-123', tenant: 'bench-console' } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;

  const measure = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 10; i++) await fn();
    const times: number[] = [];
    for (let i = 0; i < ITER; i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    return { median: times[Math.floor(times.length / 2)]!, p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]! };
  };
  const get = (url: string) => async () => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  };
  const plain = await measure(() => db.withTenant(t, (tx) => tx.execute(sql`select id, lower(during) from bookings order by lower(during) limit 50`)));
  const results: Array<[string, { median: number; p99: number }]> = [
    ['baseline: plain indexed query', plain],
    ['baseline: GET /healthz', await measure(get('/healthz'))],
    ['GET bookings (a month, page 1)', await measure(get('/api/tenant/bookings?from=2031-02-01T00:00:00Z&to=2031-03-01T00:00:00Z'))],
    ['GET resources', await measure(get('/api/tenant/resources'))],
    ['GET knowledge', await measure(get('/api/tenant/knowledge'))],
    ['GET channels', await measure(get('/api/tenant/channels'))],
    ['GET prices/offers', await measure(get('/api/tenant/prices/offers'))],
    ['GET customers', await measure(get('/api/tenant/customers'))],
    ['GET conversations (inbox)', await measure(get('/api/tenant/conversations'))],
  ];
  console.log(`console API bench: 10000 customers, 50000 messages, 5000 bookings, ${ITER} iterations per view`);
  for (const [name, r] of results)
    console.log(`${name.padEnd(34)} median ${r.median.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ×${(r.median / plain.median).toFixed(1)} plain query${r.p99 >= 100 ? '  (p99 over the 100 ms goal)' : ''}`);
} finally {
  await rt.stop();
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
