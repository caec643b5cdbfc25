/**
 * Staff inbox benchmark on the real PostgreSQL: for each size in --sizes, one tenant with N open
 * conversations (5 messages each, a third human-owned, read markers for half) next to a second
 * tenant of the same size (so the tenant index matters), measuring
 *  - the inbox list (`listInbox`, filter all, 100 rows, with unread counts and last message),
 *  - one takeover + handback pair (row lock, version bump, audit entry, publish),
 * each next to a same-run baseline: a plain RLS-scoped `select … order by last_message_at limit 100`
 * on conversations. Prints median / p99 in ms, the ratio to the baseline median, the growth of
 * the list's median against the smallest size, and the plan (EXPLAIN ANALYZE, as the app role
 * under RLS) of the list's page query at each size.
 *
 * Run: npx tsx bench/inbox.ts [--sizes 1000,10000,50000] [--iterations 200]
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';
import { createMemoryBus } from '../core/events.ts';
import { createTenant } from '../core/services/tenancy/tenants.ts';
import { listInbox } from '../core/services/conversations/inbox.ts';
import { handback, takeover } from '../core/services/conversations/ownership.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,50000' }, iterations: { type: 'string', default: '200' } } });
const SIZES = values.sizes.split(',').map(Number);
const ITER = Number(values.iterations);
let firstMedian: number | undefined;
for (const N of SIZES) await benchSize(N);

async function benchSize(N: number) {
const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
await adminQuery(`CREATE DATABASE ${dbName}`);
const db = await openDatabase({ databaseUrl: dbUrl(dbName), dataDir: '/tmp', poolSize: 4 });
try {
  await migrate(db);
  const bus = createMemoryBus();
  const other = await createTenant(db, { slug: 'bench-other', name: 'Other', industry: 'hotels', status: 'active' });
  const tenant = await createTenant(db, { slug: 'bench-inbox', name: 'Bench', industry: 'hotels', status: 'active' });
  const [user] = await db.query<{ id: string }>(`insert into tenant_users (tenant_id, email, password_hash, role) values ($1, 'b@x.test', 'x', 'staff') returning id`, [tenant.id]);
  for (const t of [other.id, tenant.id]) await db.query(
    `with ch as (select id from channels where tenant_id = $1 limit 1),
     cu as (insert into customers (tenant_id, handle) select $1, '+2547' || lpad(g::text, 8, '0') from generate_series(1, $2) g returning id),
     co as (insert into conversations (tenant_id, customer_id, channel_id, owner, assigned_user_id, last_message_at)
            select $1, cu.id, ch.id, case when random() < 0.33 then 'human' else 'ai' end, null, now() - random() * interval '7 days' from cu, ch returning id, channel_id)
     insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, created_at)
     select $1, co.id, co.channel_id, case when k % 2 = 1 then 'inbound' else 'outbound' end, case when k % 2 = 1 then 'customer' else 'ai' end,
            'message ' || k, case when k % 2 = 1 then 'processed' else 'sent' end, now() - (6 - k) * interval '1 minute'
     from co, generate_series(1, 5) k`,
    [t, N],
  );
  await db.query(
    `insert into conversation_reads (tenant_id, conversation_id, user_id, last_read_at)
     select tenant_id, id, $2, now() - interval '3 minutes' from conversations where tenant_id = $1 and random() < 0.5`,
    [tenant.id, user!.id],
  );
  await db.query('analyze');
  const [target] = await db.query<{ id: string }>(`select id from conversations where tenant_id = $1 limit 1`, [tenant.id]);

  const measure = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 10; i++) await fn();
    const t: number[] = [];
    for (let i = 0; i < ITER; i++) {
      const t0 = performance.now();
      await fn();
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    return { median: t[Math.floor(t.length / 2)]!, p99: t[Math.min(t.length - 1, Math.floor(t.length * 0.99))]! };
  };
  const baseline = await measure(() =>
    db.withTenant(tenant.id, (tx) => tx.execute(sql`select id, owner, last_message_at from conversations where status = 'open' order by last_message_at desc limit 100`)),
  );
  const list = await measure(() => listInbox(db, tenant.id, user!.id, 'all', 100));
  const pair = await measure(async () => {
    await takeover({ db, bus }, tenant.id, target!.id, { userId: user!.id });
    await handback({ db, bus }, tenant.id, target!.id, { userId: user!.id });
  });
  const plan = await db.session(async (c) => {
    await c.exec('begin');
    try {
      await c.query(`select set_config('app.tenant_id', $1, true), set_config('app.platform', '', true), set_config('role', 'aizalo_app', true)`, [tenant.id]);
      const rows = await c.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, costs off, timing off, summary on) select * from conversations c where c.tenant_id = $1 and c.status = 'open' order by c.last_message_at desc limit 100`,
        [tenant.id],
      );
      return rows.map((r) => r['QUERY PLAN']);
    } finally {
      await c.exec('rollback');
    }
  });
  firstMedian ??= list.median;
  const row = (name: string, r: { median: number; p99: number }) =>
    console.log(`${name.padEnd(34)} median ${r.median.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ×${(r.median / baseline.median).toFixed(1)} baseline`);
  console.log(`\ninbox bench: ${N} conversations (+${N} of another tenant), ${N * 5} messages each, ${ITER} iterations`);
  row('baseline (plain conversation list)', baseline);
  row('listInbox(all, 100)', list);
  row('takeover + handback', pair);
  console.log(`listInbox growth vs ${SIZES[0]} conversations: ×${(list.median / firstMedian).toFixed(2)}`);
  console.log('page plan (app role, RLS on):\n  ' + plan.join('\n  '));
} finally {
  await db.close();
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
}
