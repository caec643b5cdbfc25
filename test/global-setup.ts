/**
 * Once per test run: drop databases and Redis keys left by dead runs, then build this run's migrated template
 * database on the real PostgreSQL (workers clone it per test file); drop it at teardown.
 */
import { openDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';
import { Redis } from 'ioredis';
import { adminQuery, dbUrl, dropStaleTestDatabases } from './helpers/pg.ts';

/** Remove Redis keys of test runtimes (prefix `aizalo-test-<pid>-…`) whose process is gone. */
async function dropStaleRedisKeys(): Promise<void> {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const dead = new Map<number, boolean>();
    const isDead = (pid: number) => {
      if (!dead.has(pid)) {
        try {
          process.kill(pid, 0);
          dead.set(pid, false);
        } catch {
          dead.set(pid, true);
        }
      }
      return dead.get(pid)!;
    };
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'aizalo-test-*', 'COUNT', 1000);
      cursor = next;
      const stale = keys.filter((k) => isDead(Number(/^aizalo-test-(\d+)-/.exec(k)?.[1] ?? 0)));
      if (stale.length) await redis.del(...stale);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  process.env.AIZALO_TEST_RUN = String(process.pid);
  const template = `aizalo_tpl_${process.pid}`;
  await dropStaleTestDatabases();
  await dropStaleRedisKeys();
  await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${template}`);
  const db = await openDatabase({ databaseUrl: dbUrl(template), dataDir: '/tmp', poolSize: 1 });
  await migrate(db);
  await db.close();
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}
