/**
 * `aizalo <command>`: start | migrate | tenant create | channel add | user create |
 * user reset-password | help. `aizalo help`, `aizalo --help` and `-h` print the usage (exit 0,
 * without reading the environment); no command or an unknown one prints it to stderr (exit 2).
 * Each command parses its flags (node:util parseArgs), prints a clear usage message on bad
 * input (exit 2) and runs inside the runtime's tenant/platform transactions.
 */
import { ConfigError, loadConfig } from '../core/config.ts';
import { UsageError } from './commands/usage.ts';

export const USAGE = `Usage: aizalo <command>

  start                               gateway + workers + admin web in one process
  migrate                             apply database migrations
  tenant create --slug S --name N --industry I [--plan P] [--owner-email E] [--owner-password P]
  channel add --tenant S|--platform --type sms --provider twilio --address +E164 --account-sid SID --auth-token TOKEN
  channel add --tenant S|--platform --type sms --provider africastalking --address CODE --username U --api-key K
  channel add --tenant S|--platform --type whatsapp [--address +E164]
  user create --email E --password P --role R [--tenant S] [--phone +E164] [--name N]
  user reset-password --email E [--tenant S] [--random-password]
                                      print a one-time password reset link (or set and print a
                                      random password); without --tenant, a platform user
  help                                this text (also --help, -h)

Environment: see README.md (DATABASE_URL, REDIS_URL, DATA_DIR, SECRET_KEY, PUBLIC_URL, ...).`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (cmd === undefined) {
    console.error(USAGE);
    return 2;
  }
  try {
    const cfg = loadConfig();
    // Commands load on demand: `aizalo help` and a typo answer at once instead of after
    // importing the whole runtime (Baileys, the LLM SDKs, PGlite).
    if (cmd === 'start') return await (await import('./commands/start.ts')).startCommand(cfg);
    if (cmd === 'migrate') return await (await import('./commands/migrate.ts')).migrateCommand(cfg);
    if (cmd === 'tenant' && sub === 'create') return await (await import('./commands/tenant-create.ts')).tenantCreate(cfg, rest);
    if (cmd === 'channel' && sub === 'add') return await (await import('./commands/channel-add.ts')).channelAdd(cfg, rest);
    if (cmd === 'user' && sub === 'create') return await (await import('./commands/user-create.ts')).userCreate(cfg, rest);
    if (cmd === 'user' && sub === 'reset-password') return await (await import('./commands/user-reset-password.ts')).userResetPassword(cfg, rest);
    console.error(`Unknown command: ${argv.slice(0, 2).join(' ')}\n\n${USAGE}`);
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
