/**
 * Test databases on the real PostgreSQL: a migrated template made once per test run by global
 * setup, cloned into a fresh database per test file. Names carry the run's process id
 * (`aizalo_tpl_<pid>`, `aizalo_t_<pid>_<rand>`) so concurrent runs on one machine never touch
 * each other's databases, and leftovers of dead runs can be recognised and dropped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The test run's id: the vitest main process (global setup exports it to the workers). */
export const RUN_ID = process.env.AIZALO_TEST_RUN ?? String(process.pid);
export const TEMPLATE_DB = `aizalo_tpl_${RUN_ID}`;

export function dbUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery<R extends pg.QueryResultRow = any>(text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A fresh migrated database; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `aizalo_t_${RUN_ID}_${randomBytes(5).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE fails while another session is cloning the same template; retry.
  for (let i = 0; ; i++) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
      break;
    } catch (err) {
      if (i > 60 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    url: dbUrl(name),
    name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined),
  };
}

/** Drop test databases whose run (process id in the name) is no longer alive. */
export async function dropStaleTestDatabases(): Promise<void> {
  const rows = await adminQuery<{ datname: string }>(`select datname from pg_database where datname ~ '^aizalo_(t|tpl)_[0-9]+'`);
  for (const { datname } of rows) {
    const pid = Number(/^aizalo_(?:t|tpl)_(\d+)/.exec(datname)![1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) await adminQuery(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}
