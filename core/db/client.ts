/**
 * Database access for both modes, one API:
 *  - production: node-postgres pool on `DATABASE_URL`;
 *  - zero setup: embedded PGlite (with pgvector and btree_gist) under `DATA_DIR/pglite`.
 *
 * Every unit of work runs in `withTenant(tenantId, fn)` (sets `app.tenant_id` and switches to
 * the restricted `aizalo_app` role for the transaction, so row-level security applies even when
 * the connection itself is a superuser, as PGlite's always is) or in `withPlatform(fn)` (the
 * explicit platform context that policies recognise, for cross-tenant work such as resolving a
 * channel by its address or platform metrics).
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import * as schema from './schema/index.ts';
import { AppError } from '../errors.ts';
import { isUuid } from '../uuid.ts';

export type Schema = typeof schema;
export type Orm = PgDatabase<any, Schema>;
/** A transaction handle inside withTenant/withPlatform. */
export type Tx = PgTransaction<any, Schema, any>;

export class InvalidIdError extends AppError {
  constructor(message: string) {
    super('invalid_id', message);
  }
}

export { isUuid } from '../uuid.ts';

/**
 * The handle services receive: its only entry points are the tenant and platform transactions,
 * both running as the restricted `aizalo_app` role, so no service can bypass row-level security
 * by accident (the owner connection is not reachable from it, not even by a cast: the runtime
 * hands services `serviceHandle(owner)`).
 */
export interface Database {
  kind: 'postgres' | 'pglite';
  /**
   * Run fn in a transaction scoped to one tenant (RLS enforced by the database).
   * @throws InvalidIdError (400) when tenantId is not a UUID.
   */
  withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Run fn in a transaction in the platform context (sees all tenants; still the app role). */
  withPlatform<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** The owner-role handle (migrations, tests, CLI setup): everything a Database has, plus raw owner access. */
export interface OwnerDatabase extends Database {
  /** Owner connection, no tenant context: migrations and test setup only. */
  orm: Orm;
  /** Run a multi-statement SQL script as the owner (simple query protocol). */
  execScript(text: string): Promise<void>;
  /** Rows of one parameterised query as the owner (tests, setup). */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Run fn on one dedicated owner connection (session-level locks, scripts with BEGIN/ROLLBACK). */
  session<T>(fn: (s: OwnerSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OwnerSession {
  exec(text: string): Promise<void>;
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface DbOptions {
  databaseUrl?: string;
  dataDir: string;
  /**
   * Pool size for PostgreSQL (default 10; the app passes DATABASE_POOL_SIZE). When every
   * connection is busy, callers wait in the pool's FIFO queue (back-pressure) rather than fail.
   */
  poolSize?: number;
  /** Longest wait for a free connection, ms, before the query fails (0 = wait forever). */
  poolWaitMs?: number;
  /**
   * Called with errors of idle pooled connections (server restart, admin termination). Without a
   * listener node-postgres would crash the process; the pool replaces the connection itself.
   */
  onIdleError?: (err: Error) => void;
}

/** The services' view of an owner handle: withTenant / withPlatform only (a new object, not a cast). */
export function serviceHandle(db: Database): Database {
  return { kind: db.kind, withTenant: (id, fn) => db.withTenant(id, fn), withPlatform: (fn) => db.withPlatform(fn) };
}

/** Open the database for the configured mode (owner role). PGlite files live in `dataDir/pglite`. */
export async function openDatabase(opts: DbOptions): Promise<OwnerDatabase> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: opts.poolWaitMs ?? 0 });
    pool.on('error', (err) => opts.onIdleError?.(err));
    const orm = drizzlePg(pool, { schema }) as unknown as Orm;
    return wrap('postgres', orm, {
      execScript: async (text) => {
        await pool.query(text);
      },
      query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
      session: async (fn) => {
        const c = await pool.connect();
        try {
          return await fn({
            exec: async (text) => {
              await c.query(text);
            },
            query: async (text, params) => (await c.query(text, params as unknown[])).rows,
          });
        } finally {
          c.release();
        }
      },
      close: () => pool.end(),
    });
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const dir = path.join(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, { extensions: { vector, btree_gist } });
  const orm = drizzlePglite(client, { schema }) as unknown as Orm;
  return wrap('pglite', orm, {
    execScript: async (text) => {
      await client.exec(text);
    },
    query: async (text, params) => (await client.query(text, params as unknown[])).rows as any[],
    session: (fn) =>
      fn({
        exec: async (text) => {
          await client.exec(text);
        },
        query: async (text, params) => (await client.query(text, params as unknown[])).rows as any[],
      }),
    close: () => client.close(),
  });
}

function wrap(
  kind: Database['kind'],
  orm: Orm,
  raw: Pick<OwnerDatabase, 'execScript' | 'query' | 'close' | 'session'>,
): OwnerDatabase {
  // One round trip: tenant, platform flag and role, all transaction-local.
  const scoped = async <T>(tenantId: string, platform: boolean, fn: (tx: Tx) => Promise<T>) =>
    orm.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.platform', ${platform ? 'on' : ''}, true), set_config('role', 'aizalo_app', true)`,
      );
      return fn(tx as Tx);
    });
  return {
    kind,
    orm,
    withTenant(tenantId, fn) {
      if (!isUuid(tenantId)) return Promise.reject(new InvalidIdError(`invalid tenant id: ${String(tenantId)}`));
      return scoped(tenantId, false, fn);
    },
    withPlatform: (fn) => scoped('', true, fn),
    ...raw,
  };
}
