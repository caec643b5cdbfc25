/**
 * Applies `migrations/NNNN_name.sql` in order, each in its own transaction, recording them in
 * `schema_migrations` (name, applied_at, sha256 of the file's bytes). A session advisory lock on
 * one dedicated connection makes concurrent starts (several processes) safe. Runs as the
 * connection's own (owner) role, never as the restricted app role.
 *
 * An applied migration is history: when its file's sha256 no longer matches the recorded one,
 * start-up stops with MigrationChangedError naming the file (restore it, or put the change in a
 * new migration). A database migrated before hashes were recorded gets them on its first run.
 *
 * @returns names of the migrations applied by this call.
 * @throws the database error of the failing migration (earlier ones stay applied);
 *   MigrationChangedError before applying anything when an applied file changed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OwnerDatabase } from './client.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const LOCK_KEY = 7426001;

export class MigrationChangedError extends Error {
  override name = 'MigrationChangedError';
}

/** sha256 (hex) of a migration file's bytes. */
export const migrationHash = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function migrate(db: OwnerDatabase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name));
      return { name, body: bytes.toString('utf8'), sha256: migrationHash(bytes) };
    });
  return db.session(async (s) => {
    await s.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await s.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
         ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS sha256 text;`,
      );
      const rows = await s.query<{ name: string; sha256: string | null }>('SELECT name, sha256 FROM schema_migrations');
      const done = new Map(rows.map((r) => [r.name, r.sha256]));
      // Check every applied file first: a changed history must stop start-up before anything new runs.
      const changed = files.filter((f) => done.has(f.name) && done.get(f.name) !== null && done.get(f.name) !== f.sha256);
      if (changed.length)
        throw new MigrationChangedError(
          `applied migration${changed.length > 1 ? 's' : ''} changed on disk: ${changed.map((f) => `${f.name} (recorded sha256 ${done.get(f.name)!.slice(0, 12)}…, file now ${f.sha256.slice(0, 12)}…)`).join(', ')}; restore the file and put the change in a new migration`,
        );
      for (const f of files.filter((f) => done.has(f.name) && done.get(f.name) === null))
        await s.query('UPDATE schema_migrations SET sha256 = $2 WHERE name = $1 AND sha256 IS NULL', [f.name, f.sha256]);
      const applied: string[] = [];
      for (const f of files) {
        if (done.has(f.name)) continue;
        try {
          await s.exec(`BEGIN;\n${f.body}\n;INSERT INTO schema_migrations (name, sha256) VALUES (${quote(f.name)}, ${quote(f.sha256)});\nCOMMIT;`);
        } catch (err) {
          await s.exec('ROLLBACK').catch(() => {});
          throw new Error(`migration ${f.name} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(f.name);
      }
      return applied;
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}
