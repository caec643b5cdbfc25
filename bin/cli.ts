/**
 * `aizalo <command>`: start | migrate | tenant create | channel add | user create.
 * Each command parses its flags (node:util parseArgs), prints a clear usage message on bad
 * input (exit 2) and runs inside the runtime's tenant/platform transactions.
 */
import { ConfigError, loadConfig } from '../core/config.ts';
import { channelAdd } from './commands/channel-add.ts';
import { migrateCommand } from './commands/migrate.ts';
import { startCommand } from './commands/start.ts';
import { tenantCreate } from './commands/tenant-create.ts';
import { userCreate } from './commands/user-create.ts';
import { UsageError } from './commands/usage.ts';

export const USAGE = `Usage: aizalo <command>

  start                               gateway + workers + admin web in one process
  migrate                             apply database migrations
  tenant create --slug S --name N --industry I [--plan P] [--owner-email E] [--owner-password P]
  channel add --tenant S|--platform --type sms --provider twilio --address +E164 --account-sid SID --auth-token TOKEN
  channel add --tenant S|--platform --type sms --provider africastalking --address CODE --username U --api-key K
  channel add --tenant S|--platform --type whatsapp [--address +E164]
  user create --email E --password P --role R [--tenant S] [--phone +E164] [--name N]

Environment: see README.md (DATABASE_URL, REDIS_URL, DATA_DIR, SECRET_KEY, PUBLIC_URL, ...).`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  try {
    const cfg = loadConfig();
    if (cmd === 'start') return await startCommand(cfg);
    if (cmd === 'migrate') return await migrateCommand(cfg);
    if (cmd === 'tenant' && sub === 'create') return await tenantCreate(cfg, rest);
    if (cmd === 'channel' && sub === 'add') return await channelAdd(cfg, rest);
    if (cmd === 'user' && sub === 'create') return await userCreate(cfg, rest);
    console.error(cmd ? `Unknown command: ${argv.slice(0, 2).join(' ')}\n\n${USAGE}` : USAGE);
    return 2;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`aizalo: ${err.message}`);
      return 2;
    }
    const e = err as Error & { statusCode?: number };
    if (e.statusCode && e.statusCode < 500) {
      console.error(`aizalo: ${e.message}`);
      return 1;
    }
    console.error(err);
    return 1;
  }
}
