/** `aizalo user create --email E --password P --role R [--tenant S] [--phone +E164] [--name N]` */
import type { Config } from '../../core/config.ts';
import { platformUsers, tenantUsers } from '../../core/db/schema/index.ts';
import { hashPassword } from '../../core/services/tenancy/passwords.ts';
import { findTenantBySlug } from '../../core/services/tenancy/tenants.ts';
import { flags, required, UsageError, withRuntime } from './usage.ts';

const USAGE = 'aizalo user create --email E --password P --role R [--tenant S] [--phone +E164] [--name N]';
const PLATFORM_ROLES = ['owner', 'admin', 'sales', 'support'];
const TENANT_ROLES = ['owner', 'admin', 'staff', 'viewer'];

export async function userCreate(cfg: Config, args: string[]): Promise<number> {
  const f = flags(args, ['email', 'password', 'role', 'tenant', 'phone', 'name']);
  required(f, ['email', 'password', 'role'], USAGE);
  const role = f.role as string;
  const email = (f.email as string).toLowerCase();
  const phone = f.phone as string | undefined;
  if (phone && !/^\+[1-9]\d{6,14}$/.test(phone)) throw new UsageError('--phone must be E.164, e.g. +254712345678');
  const roles = f.tenant ? TENANT_ROLES : PLATFORM_ROLES;
  if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(', ')} for a ${f.tenant ? 'tenant' : 'platform'} user`);
  const passwordHash = await hashPassword(f.password as string);
  return withRuntime(cfg, async (rt) => {
    if (f.tenant) {
      const tenant = await findTenantBySlug(rt.db, f.tenant as string);
      if (!tenant) throw new UsageError(`no tenant "${f.tenant}"`);
      const [u] = await rt.db.withTenant(tenant.id, (tx) =>
        tx
          .insert(tenantUsers)
          .values({ tenantId: tenant.id, email, passwordHash, role: role as 'owner', name: (f.name as string) ?? null, phone: phone ?? null })
          .returning({ id: tenantUsers.id }),
      );
      console.log(`Tenant user created: ${email} (${role}) in ${tenant.slug}, id ${u!.id}`);
    } else {
      const [u] = await rt.db.withPlatform((tx) =>
        tx
          .insert(platformUsers)
          .values({ email, passwordHash, role: role as 'owner', name: (f.name as string) ?? null, phone: phone ?? null })
          .returning({ id: platformUsers.id }),
      );
      console.log(`Platform user created: ${email} (${role}), id ${u!.id}`);
    }
    console.log(`Admin web: ${cfg.publicUrl}/admin`);
    return 0;
  });
}
