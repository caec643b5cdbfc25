/**
 * Vector search benchmark: tenant-filtered nearest-neighbour queries on the real PostgreSQL
 * (pgvector HNSW, `hnsw.iterative_scan = relaxed_order`) against exact search, the same query
 * shape as `core/services/commerce/knowledge.ts` (`where tenant_id = $1 order by embedding <=> $2 limit k`).
 *
 * Scratch database `aizalo_bench_vec` (dropped and recreated unless --reuse). Vectors are
 * generated in SQL: 200 shared topic centres + uniform noise, so tenants' chunks cluster the way
 * FAQ chunks do. Default 1,000,000 chunks × 1,000 tenants × 128 dimensions (768 × 1M is ~3 GB
 * of vectors and an HNSW build of hours on 2 cores; the query path is the same).
 *
 * Prints p50/p99 (ms) per mode, recall@10 vs exact, and the same-run ratio to exact search.
 * The service (core/services/commerce/knowledge.ts searchChunks) searches tenants with ≤ 20,000 chunks
 * exactly and larger ones through HNSW with iterative scan; both paths are measured here.
 *   npx tsx bench/vector-search.ts [--rows 1000000] [--tenants 1000] [--dim 128] [--queries 500] [--reuse]
 */
import pg from 'pg';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const ROWS = Number(arg('rows', '1000000'));
const TENANTS = Number(arg('tenants', '1000'));
const DIM = Number(arg('dim', '128'));
const QUERIES = Number(arg('queries', '500'));
const ADMIN = arg('pg-url', 'postgres://postgres@127.0.0.1:5432/postgres');
const REUSE = process.argv.includes('--reuse');
const DB = 'aizalo_bench_vec';

const url = new URL(ADMIN);
url.pathname = `/${DB}`;
const t0 = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query(`CREATE EXTENSION IF NOT EXISTS vector`);
  await c.query(`CREATE OR REPLACE FUNCTION bench_rand_vec(d int, amp float8) RETURNS float8[] LANGUAGE sql VOLATILE AS
    $$ SELECT array_agg((random() - 0.5) * amp) FROM generate_series(1, d) $$`);
  await c.query(`CREATE TABLE centres AS SELECT g AS id, bench_rand_vec(${DIM}, 2)::vector(${DIM}) AS v FROM generate_series(0, 199) g`);
  await c.query(`CREATE TABLE tenants AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(0, ${TENANTS - 1}) g`);
  await c.query(`CREATE TABLE kb_chunks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id uuid NOT NULL,
    content text NOT NULL, embedding vector(${DIM}) NOT NULL)`);
  log(`loading ${ROWS} chunks (${TENANTS} tenants, ${DIM} dims)…`);
  const batch = 100_000;
  for (let off = 0; off < ROWS; off += batch) {
    await c.query(
      `INSERT INTO kb_chunks (tenant_id, content, embedding)
       SELECT t.id, 'chunk ' || g, c.v + bench_rand_vec(${DIM}, 1.2)::vector(${DIM})
       FROM generate_series($1::int, $2::int) g
       JOIN tenants t ON t.n = g % ${TENANTS}
       JOIN centres c ON c.id = (hashint4(g) & 2147483647) % 200`,
      [off, Math.min(off + batch, ROWS) - 1],
    );
    log(`  ${Math.min(off + batch, ROWS)} rows`);
  }
  await c.query(`CREATE INDEX kb_chunks_tenant_idx ON kb_chunks (tenant_id)`);
  log('building HNSW (m=16, ef_construction=64)…');
  await c.query(`SET maintenance_work_mem = '4GB'`);
  await c.query(`SET max_parallel_maintenance_workers = 2`);
  await c.query(`CREATE INDEX kb_chunks_embedding_hnsw ON kb_chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`);
  await c.query(`VACUUM ANALYZE kb_chunks`);
  log('HNSW built');
  await c.end();
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** The service's query: materialised top-k then re-sorted (relaxed_order may return out of order). */
const ANN_SQL = `WITH c AS MATERIALIZED (
  SELECT id, embedding <=> $2::vector AS distance FROM kb_chunks WHERE tenant_id = $1 ORDER BY embedding <=> $2::vector LIMIT 10
) SELECT id FROM c ORDER BY distance`;
/** Same filter written so the tenant_id B-tree cannot serve it: the only index left is HNSW. */
const HNSW_SQL = ANN_SQL.replace('WHERE tenant_id = $1', 'WHERE tenant_id::text = $1');

async function run(): Promise<void> {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const tenants = (await c.query<{ id: string }>('SELECT id FROM tenants ORDER BY random()')).rows.map((r) => r.id);
  const qs = (
    await c.query<{ v: string }>(
      `SELECT (c.v + bench_rand_vec(${DIM}, 1.2)::vector(${DIM}))::text AS v FROM generate_series(1, ${QUERIES}) g
       JOIN centres c ON c.id = (g * 7919) % 200`,
    )
  ).rows.map((r, i) => ({ tenant: tenants[i % tenants.length]!, v: r.v }));

  const exact: string[][] = [];
  const exactMs: number[] = [];
  await c.query('BEGIN');
  await c.query(`SET LOCAL enable_indexscan = off`); // no HNSW: bitmap on tenant_id + sort = exact
  for (const q of qs) await c.query(ANN_SQL, [q.tenant, q.v]); // warm-up pass (page cache)
  for (const q of qs) {
    const s = performance.now();
    exact.push((await c.query(ANN_SQL, [q.tenant, q.v])).rows.map((r) => String(r.id)));
    exactMs.push(performance.now() - s);
  }
  await c.query('COMMIT');
  const { rows: plan } = await c.query(`EXPLAIN ${ANN_SQL.replace('$1', `'${qs[0]!.tenant}'`).replaceAll('$2', `'${qs[0]!.v}'`)}`);
  const planner = plan.map((r) => String(r['QUERY PLAN']).replace(/'\[[^\]]*\]'/g, "'[…]'")).join('\n');

  const forced = [`SET LOCAL enable_seqscan = off`];
  const modes: Array<{ name: string; sql: string; setup: string[]; count?: boolean; queries?: number }> = [
    { name: 'service path (tenant ≤ 20k chunks → exact via tenant_id B-tree; count query included)', sql: ANN_SQL, setup: [`SET LOCAL enable_indexscan = off`], count: true },
    { name: 'planner choice, iterative_scan=relaxed_order', sql: ANN_SQL, setup: [`SET LOCAL hnsw.iterative_scan = relaxed_order`, `SET LOCAL hnsw.ef_search = 100`] },
    // The HNSW-only modes are slow at 0.1 % selectivity: 100 queries each.
    { name: 'HNSW only, iterative_scan=relaxed_order ef_search=100', sql: HNSW_SQL, setup: [`SET LOCAL hnsw.iterative_scan = relaxed_order`, `SET LOCAL hnsw.ef_search = 100`, ...forced], queries: 100 },
    { name: 'HNSW only, iterative_scan=off ef_search=100 (pre-0.8)', sql: HNSW_SQL, setup: [`SET LOCAL hnsw.iterative_scan = off`, `SET LOCAL hnsw.ef_search = 100`, ...forced], queries: 100 },
  ];
  console.log(`\nvector search: ${ROWS} chunks, ${TENANTS} tenants, dim ${DIM}, ${QUERIES} queries, tenant filter on`);
  console.log(`exact (bitmap on tenant_id + sort): p50 ${pct(exactMs, 50).toFixed(2)} ms  p99 ${pct(exactMs, 99).toFixed(2)} ms`);
  for (const m of modes) {
    const ms: number[] = [];
    let hits = 0;
    let total = 0;
    await c.query('BEGIN');
    for (const s of m.setup) await c.query(s);
    for (const q of qs.slice(0, m.queries ? 5 : 50)) await c.query(m.sql, [q.tenant, q.v]); // warm-up
    for (const [i, q] of qs.slice(0, m.queries ?? qs.length).entries()) {
      const s = performance.now();
      if (m.count) await c.query(`select count(*)::int from (select 1 from kb_chunks where tenant_id = $1 limit 20001) s`, [q.tenant]);
      const got = (await c.query(m.sql, [q.tenant, q.v])).rows.map((r) => String(r.id));
      ms.push(performance.now() - s);
      const want = new Set(exact[i]);
      hits += got.filter((id) => want.has(id)).length;
      total += want.size;
    }
    await c.query('COMMIT');
    console.log(
      `${m.name}: p50 ${pct(ms, 50).toFixed(2)} ms  p99 ${pct(ms, 99).toFixed(2)} ms  recall@10 ${(hits / total).toFixed(3)}  ` +
        `p50 ratio vs exact ${(pct(ms, 50) / pct(exactMs, 50)).toFixed(2)}`,
    );
  }
  console.log(`\nplanner's plan for the service query:\n${planner}`);
  await c.end();
}

if (!REUSE) await setup();
await run();
log('done');
