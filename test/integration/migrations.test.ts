/**
 * The migrations runner and the Drizzle schema against the real migrated PostgreSQL:
 * - every applied migration's sha256 is recorded; a database migrated before hashes existed gets
 *   them on its next run; a changed applied file stops `migrate` with an error naming it;
 * - the Drizzle schema (core/db/schema/*) matches the database: every Drizzle table exists with
 *   exactly the Drizzle columns, each of the same type and nullability (information_schema, with
 *   pg's format_type for the full type name, e.g. vector(768); Drizzle's `numeric(5, 2)` spacing
 *   normalised).
 */
import { cpSync, mkdtempSync, appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OwnerDatabase } from '../../core/db/client.ts';
import { migrate, migrationHash, MIGRATIONS_DIR, MigrationChangedError } from '../../core/db/migrate.ts';
import * as schema from '../../core/db/schema/index.ts';
import { createTestDatabase } from '../helpers/pg.ts';

let db: OwnerDatabase;
let drop: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = await openDatabase({ databaseUrl: t.url, dataDir: '/tmp' });
});
afterAll(async () => {
  await db?.close();
  await drop?.();
});

const files = () => readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
const recorded = async () => db.query<{ name: string; sha256: string | null }>('select name, sha256 from schema_migrations order by name');

describe('migration hashes', () => {
  it('records the sha256 of every applied file', async () => {
    expect(await migrate(db)).toEqual([]);
    expect(await recorded()).toEqual(files().map((name) => ({ name, sha256: migrationHash(readFileSync(path.join(MIGRATIONS_DIR, name))) })));
  });

  it('a database migrated before hashes were recorded gets them on its first run', async () => {
    const before = await recorded();
    await db.query('update schema_migrations set sha256 = null');
    expect(await migrate(db)).toEqual([]);
    expect(await recorded()).toEqual(before);
  });

  it('refuses to run when an applied migration file changed, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aizalo-mig-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const victim = files()[1]!;
      appendFileSync(path.join(dir, victim), '\n-- edited after it was applied\n');
      const err = await migrate(db, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationChangedError);
      expect((err as Error).message).toMatch(new RegExp(`^applied migration changed on disk: ${victim} \\(recorded sha256 [0-9a-f]{12}…, file now [0-9a-f]{12}…\\)`));
      // Nothing was rewritten: the recorded hash is still the original file's.
      const [row] = await db.query<{ sha256: string }>('select sha256 from schema_migrations where name = $1', [victim]);
      expect(row!.sha256).toBe(migrationHash(readFileSync(path.join(MIGRATIONS_DIR, victim))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Drizzle schema vs the migrated database', () => {
  it('has every Drizzle table with the same columns, types and nullability', async () => {
    const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => v instanceof PgTable).map((t) => getTableConfig(t));
    const dbCols = await db.query<{ table_name: string; column_name: string; type: string; is_nullable: string }>(`
      select c.table_name, c.column_name, c.is_nullable,
             format_type(a.atttypid, a.atttypmod) as type
      from information_schema.columns c
      join pg_attribute a on a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass and a.attname = c.column_name
      where c.table_schema = 'public'`);
    const actual = new Map<string, Map<string, { type: string; nullable: boolean }>>();
    for (const r of dbCols) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
      actual.get(r.table_name)!.set(r.column_name, { type: r.type, nullable: r.is_nullable === 'YES' });
    }
    const drift: string[] = [];
    for (const t of tables) {
      const cols = actual.get(t.name);
      if (!cols) {
        drift.push(`table ${t.name}: missing in the database`);
        continue;
      }
      for (const c of t.columns) {
        const got = cols.get(c.name);
        if (!got) drift.push(`${t.name}.${c.name}: missing in the database`);
        else {
          if (got.type !== c.getSQLType().replace(/, /g, ',')) drift.push(`${t.name}.${c.name}: Drizzle ${c.getSQLType()}, database ${got.type}`);
          if (got.nullable === c.notNull) drift.push(`${t.name}.${c.name}: Drizzle ${c.notNull ? 'not null' : 'nullable'}, database ${got.nullable ? 'nullable' : 'not null'}`);
        }
      }
      for (const name of cols.keys()) if (!t.columns.some((c) => c.name === name)) drift.push(`${t.name}.${name}: in the database, not in Drizzle`);
    }
    expect(tables.length).toBeGreaterThan(20);
    expect(drift).toEqual([]);
  });
});
