/**
 * Once per test run: drop databases left by dead runs, then build this run's migrated template
 * database on the real PostgreSQL (workers clone it per test file); drop it at teardown.
 */
import { openDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';
import { adminQuery, dbUrl, dropStaleTestDatabases } from './helpers/pg.ts';

export default async function setup(): Promise<() => Promise<void>> {
  process.env.AIZALO_TEST_RUN = String(process.pid);
  const template = `aizalo_tpl_${process.pid}`;
  await dropStaleTestDatabases();
  await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${template}`);
  const db = await openDatabase({ databaseUrl: dbUrl(template), dataDir: '/tmp', poolSize: 1 });
  await migrate(db);
  await db.close();
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}
