/**
 * Cost of row-level security: the same tenant-scoped queries run by the app role in a tenant
 * transaction against `messages` (RLS forced, initplan-shaped policy) and against `messages_plain`
 * (identical columns, data and indexes, no RLS), at 1,000 tenants × 1,000 messages, interleaved
 * so both see the same cache state. Prints p50/p99 (ms) side by side and the ratio.
 *
 * Run: npx tsx bench/rls-overhead.ts [--tenants 1000] [--per-tenant 1000] [--iterations 2000]
 * Needs PostgreSQL at TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); creates and
 * drops a scratch database.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';

const { values } = parseArgs({
  options: { tenants: { type: 'string', default: '1000' }, 'per-tenant': { type: 'string', default: '1000' }, iterations: { type: 'string', default: '2000' } },
});
const TENANTS = Number(values.tenants);
const PER = Number(values['per-tenant']);
const ITER = Number(values.iterations);
const dbName = `aizalo_bench_rls_${randomBytes(4).toString('hex')}`;

const QUERIES: Record<string, (table: string) => string> = {
  'latest 50 of a tenant': (t) => `select id, direction, text, created_at from ${t} where tenant_id = $1 order by created_at desc limit 50`,
  'count of a tenant': (t) => `select count(*) from ${t} where tenant_id = $1`,
  'one message by id': (t) => `select id, text from ${t} where id = $2`,
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

await adminQuery(`CREATE DATABASE ${dbName}`);
try {
  const mig = await openDatabase({ databaseUrl: dbUrl(dbName), dataDir: '/tmp', poolSize: 1 });
  await migrate(mig);
  await mig.close();
  const c = new pg.Client({ connectionString: dbUrl(dbName) });
  await c.connect();
  c.on('error', () => {}); // the final DROP … WITH (FORCE) ends this session
  const t0 = Date.now();
  await c.query(`insert into tenants (slug, name, industry, status)
                 select 'bench-' || g, 'Bench ' || g, 'hotels', 'active' from generate_series(1, $1) g`, [TENANTS]);
  await c.query(`insert into channels (tenant_id, type, provider, address) select id, 'webchat', 'webchat', slug from tenants`);
  await c.query(`insert into customers (tenant_id, handle) select id, 'web:bench' from tenants`);
  await c.query(`insert into conversations (tenant_id, customer_id, channel_id)
                 select t.id, cu.id, ch.id from tenants t join customers cu on cu.tenant_id = t.id join channels ch on ch.tenant_id = t.id`);
  // Bulk load: skip per-row FK triggers (the rows are consistent by construction).
  await c.query(`set session_replication_role = replica`);
  await c.query(`insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, created_at)
                 select cv.tenant_id, cv.id, cv.channel_id, case when g % 2 = 0 then 'inbound' else 'outbound' end,
                        case when g % 2 = 0 then 'customer' else 'ai' end, 'message ' || g, 'processed',
                        now() - (g || ' seconds')::interval
                   from conversations cv cross join generate_series(1, $1) g`, [PER]);
  await c.query(`set session_replication_role = origin`);
  // The twin without policies: same rows, same indexes, same grants.
  await c.query(`create table messages_plain (like messages including defaults including indexes)`);
  await c.query(`insert into messages_plain select * from messages`);
  await c.query(`grant select on messages_plain to aizalo_app`);
  for (const stmt of ['vacuum analyze messages', 'vacuum analyze messages_plain', 'analyze tenants']) await c.query(stmt);
  const n = (await c.query('select count(*)::int n from messages')).rows[0].n;
  console.log(`loaded ${TENANTS} tenants × ${PER} messages = ${n} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const tenants = (await c.query<{ id: string }>('select id from tenants')).rows.map((r) => r.id);
  const sample = (await c.query<{ id: string; tenant_id: string }>('select id, tenant_id from messages tablesample system (1) limit 5000')).rows;
  const time = async (table: string, q: (t: string) => string, tenantId: string, msgId: string) => {
    await c.query('begin');
    await c.query(`select set_config('app.tenant_id', $1, true), set_config('app.platform', '', true), set_config('role', 'aizalo_app', true)`, [tenantId]);
    const sql = q(table);
    const params = sql.includes('$2') ? [tenantId, msgId] : [tenantId];
    const s = process.hrtime.bigint();
    await c.query({ text: sql.includes('$1') ? sql : sql.replace('$2', '$1'), values: sql.includes('$1') ? params : [msgId] });
    const ms = Number(process.hrtime.bigint() - s) / 1e6;
    await c.query('commit');
    return ms;
  };
  console.log(`\n${'query'.padEnd(24)} ${'RLS p50'.padStart(9)} ${'plain p50'.padStart(10)} ${'ratio'.padStart(7)}   ${'RLS p99'.padStart(9)} ${'plain p99'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const [name, q] of Object.entries(QUERIES)) {
    const rls: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < 200; i++) {
      const m = sample[i % sample.length]!;
      await time('messages', q, m.tenant_id, m.id);
      await time('messages_plain', q, m.tenant_id, m.id);
    }
    for (let i = 0; i < ITER; i++) {
      const m = name === 'one message by id' ? sample[i % sample.length]! : { tenant_id: tenants[Math.floor(Math.random() * tenants.length)]!, id: sample[0]!.id };
      // Alternate which side goes first so neither always gets the warmer cache.
      if (i % 2) {
        rls.push(await time('messages', q, m.tenant_id, m.id));
        plain.push(await time('messages_plain', q, m.tenant_id, m.id));
      } else {
        plain.push(await time('messages_plain', q, m.tenant_id, m.id));
        rls.push(await time('messages', q, m.tenant_id, m.id));
      }
    }
    const [r50, p50, r99, p99] = [pct(rls, 50), pct(plain, 50), pct(rls, 99), pct(plain, 99)];
    console.log(
      `${name.padEnd(24)} ${r50.toFixed(3).padStart(9)} ${p50.toFixed(3).padStart(10)} ${(r50 / p50).toFixed(2).padStart(7)}   ${r99.toFixed(3).padStart(9)} ${p99.toFixed(3).padStart(10)} ${(r99 / p99).toFixed(2).padStart(7)}`,
    );
  }
  console.log(`\n(ms, ${ITER} iterations per query per side, app role in a tenant transaction; ratio = RLS / plain, goal < 1.10)`);
  await c.end();
} finally {
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
