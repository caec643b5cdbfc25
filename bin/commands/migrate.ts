/** `aizalo migrate`: apply pending SQL migrations and list them. */
import type { Config } from '../../core/config.ts';
import { openDatabase } from '../../core/db/client.ts';
import { migrate } from '../../core/db/migrate.ts';

export async function migrateCommand(cfg: Config): Promise<number> {
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: 1 });
  try {
    const applied = await migrate(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    return 0;
  } finally {
    await db.close();
  }
}
