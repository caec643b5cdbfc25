/**
 * A `Database` bound to one open platform transaction, so service functions written against
 * `db.withPlatform(fn)` can run as part of a larger unit of work (e.g. the sales assistant stores
 * a command's effects and its reply atomically). `withPlatform(fn)` runs `fn` in a savepoint of
 * the outer transaction (an error inside rolls back only that savepoint, like a separate
 * transaction would fail on its own); commit happens when the outer transaction commits. A
 * transaction is one connection, so concurrent calls (`Promise.all`) are run one after another.
 */
import type { Database, Tx } from './client.ts';

/** Thrown by the calls a bound database cannot honour inside a platform transaction. */
export class UnitOfWorkError extends Error {
  override name = 'UnitOfWorkError';
}

/**
 * @param db the real database (its `kind` and `orm` are passed through).
 * @param tx a transaction opened by `db.withPlatform` (platform context, role aizalo_app).
 * @returns a Database whose `withPlatform` joins `tx`; `withTenant` throws UnitOfWorkError (it
 *   would escape the transaction's platform context).
 */
export function inTransaction(db: Database, tx: Tx): Database {
  let last: Promise<unknown> = Promise.resolve();
  const refuse = (what: string) => () => Promise.reject(new UnitOfWorkError(`${what} is not available inside a platform unit of work`));
  return {
    kind: db.kind,
    withPlatform: (fn) => {
      const run = last.then(() => tx.transaction((sp) => fn(sp as Tx)));
      last = run.catch(() => undefined);
      return run;
    },
    withTenant: refuse('withTenant'),
  };
}
