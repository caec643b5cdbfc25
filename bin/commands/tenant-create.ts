/** `aizalo tenant create --slug S --name N --industry I [--plan P] [--owner-email E] [--owner-password P]` */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../core/config.ts';
import { createTenant } from '../../core/services/tenancy/tenants.ts';
import { flags, required, withRuntime } from './usage.ts';

const USAGE = 'aizalo tenant create --slug S --name N --industry I [--plan P] [--owner-email E] [--owner-password P]';

export async function tenantCreate(cfg: Config, args: string[]): Promise<number> {
  const f = flags(args, ['slug', 'name', 'industry', 'plan', 'owner-email', 'owner-password']);
  required(f, ['slug', 'name', 'industry'], USAGE);
  const ownerEmail = f['owner-email'] as string | undefined;
  const password = (f['owner-password'] as string | undefined) ?? (ownerEmail ? randomBytes(9).toString('base64url') : undefined);
  return withRuntime(cfg, async (rt) => {
    const t = await createTenant(rt.db, {
      slug: f.slug as string,
      name: f.name as string,
      industry: f.industry as string,
      planId: f.plan as string | undefined,
      owner: ownerEmail ? { email: ownerEmail, password: password! } : undefined,
    });
    console.log(`Tenant created: ${t.slug} (${t.id}), plan ${t.planId}, status ${t.status}`);
    console.log(`Web chat: ${cfg.publicUrl}/chat/${t.slug}`);
    if (ownerEmail && !f['owner-password']) console.log(`Owner login: ${ownerEmail} / ${password}  (change it after the first login)`);
    return 0;
  });
}
