/**
 * `aizalo user reset-password --email E [--tenant S] [--random-password]`: get a login back from the
 * server's terminal. Issues a password reset (core/services/tenancy/password-reset.ts: single use,
 * 30 minutes) and prints its link; with `--random-password` it uses the reset at once to set a new
 * random password and prints that instead. Without `--tenant` the email is a platform user's.
 * Exit 1 when there is no active account with that email (the operator may know; the web never says).
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../core/config.ts';
import { confirmPasswordReset, requestPasswordReset, resetLink, RESET_TTL_MS } from '../../core/services/tenancy/password-reset.ts';
import { flags, required, withRuntime } from './usage.ts';

export const RESET_USAGE = 'aizalo user reset-password --email E [--tenant S] [--random-password]';

export async function userResetPassword(cfg: Config, args: string[], out: (line: string) => void = console.log): Promise<number> {
  const f = flags(args, ['email', 'tenant'], ['random-password']);
  required(f, ['email'], RESET_USAGE);
  const email = f.email as string;
  const tenant = f.tenant as string | undefined;
  return withRuntime(cfg, async (rt) => {
    const issued = await requestPasswordReset(rt.db, { email, tenant }, 'cli');
    if (!issued) {
      console.error(`aizalo: no active ${tenant ? `user ${email} in business "${tenant}"` : `platform user ${email}`} (an invited user needs their invite resent; a deactivated one, an admin to reactivate them)`);
      return 1;
    }
    const where = issued.tenant ? `${cfg.publicUrl}/app?tenant=${issued.tenant.slug}` : `${cfg.publicUrl}/admin`;
    if (f['random-password']) {
      const password = randomBytes(12).toString('base64url');
      await confirmPasswordReset(rt.db, issued.token, password, 'cli');
      out(`New password for ${issued.email}${issued.tenant ? ` (${issued.tenant.name})` : ''}: ${password}`);
      out(`Sign in at ${where}`);
    } else {
      out(`Password reset link for ${issued.email}${issued.tenant ? ` (${issued.tenant.name})` : ''}, valid ${RESET_TTL_MS / 60_000} minutes, works once:`);
      out(`  ${resetLink(cfg.publicUrl, issued.token, issued.tenant?.slug)}`);
      out(`Then sign in at ${where}`);
    }
    return 0;
  });
}
