/**
 * Once per test run: build the migrated template database on the real PostgreSQL, and remove
 * databases left behind by crashed earlier runs.
 */
import pg from 'pg';
import { openDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';
import { adminQuery, dbUrl, PG_ADMIN_URL, TEMPLATE_DB } from './helpers/pg.ts';

export default async function setup(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  const stale = await c.query<{ datname: string }>(
    `select datname from pg_database where datname like 'aizalo_t_%' or datname = $1`,
    [TEMPLATE_DB],
  );
  await c.end();
  for (const { datname } of stale.rows) await adminQuery(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  const db = await openDatabase({ databaseUrl: dbUrl(TEMPLATE_DB), dataDir: '/tmp', poolSize: 1 });
  await migrate(db);
  await db.close();
}
