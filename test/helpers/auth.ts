/**
 * Test helpers for authenticated HTTP calls: create users (argon2id hashes, real tables) and sign
 * in through the real POST /api/auth/login.
 *
 *   const cred = await createTenantUser(h, t.tenant.id, 'staff');
 *   const { headers } = await loginAs(h, cred);
 *   await fetch(`${h.url}/api/tenant/conversations`, { headers });
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { platformUsers, tenants, tenantUsers } from '../../core/db/schema/index.ts';
import { hashPassword } from '../../core/services/tenancy/passwords.ts';
import type { PlatformRole, TenantRole } from '../../core/services/tenancy/permissions.ts';
import type { Harness } from './harness.ts';

export interface Credentials {
  id: string;
  email: string;
  password: string;
  /** Tenant slug for tenant users; undefined for platform users. */
  tenant?: string;
  role: string;
}

export interface Session {
  /** `aizalo_session=<jwt>` ready for a Cookie header. */
  cookie: string;
  token: string;
  /** { cookie } — spread into fetch headers. */
  headers: Record<string, string>;
  user: Record<string, unknown>;
}

let hashed: Promise<string> | undefined;
const PASSWORD = 'correct-horse-battery-staple';
const rand = () => randomBytes(4).toString('hex');

/** A tenant user with a random email and the shared test password. */
export async function createTenantUser(h: Harness, tenantId: string, role: TenantRole, opts: { email?: string; password?: string } = {}): Promise<Credentials> {
  const email = opts.email ?? `${role}-${rand()}@example.test`;
  const password = opts.password ?? PASSWORD;
  const passwordHash = opts.password ? await hashPassword(password) : await (hashed ??= hashPassword(PASSWORD));
  return h.rt.db.withTenant(tenantId, async (tx) => {
    const [t] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
    const [u] = await tx.insert(tenantUsers).values({ tenantId, email, passwordHash, role }).returning({ id: tenantUsers.id });
    return { id: u!.id, email, password, tenant: t!.slug, role };
  });
}

/** A platform user (owner, admin, sales, support) with a random email and the shared test password. */
export async function createPlatformUser(h: Harness, role: PlatformRole, opts: { email?: string; password?: string; phone?: string } = {}): Promise<Credentials> {
  const email = opts.email ?? `${role}-${rand()}@platform.test`;
  const password = opts.password ?? PASSWORD;
  const passwordHash = opts.password ? await hashPassword(password) : await (hashed ??= hashPassword(PASSWORD));
  const [u] = await h.rt.db.withPlatform((tx) =>
    tx.insert(platformUsers).values({ email, passwordHash, role, phone: opts.phone ?? null }).returning({ id: platformUsers.id }),
  );
  return { id: u!.id, email, password, role };
}

/**
 * Sign in over HTTP. @throws Error with the response body when login does not answer 200.
 */
export async function loginAs(h: Harness, cred: { email: string; password: string; tenant?: string }): Promise<Session> {
  const res = await fetch(`${h.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: cred.email, password: cred.password, ...(cred.tenant ? { tenant: cred.tenant } : {}) }),
  });
  if (res.status !== 200) throw new Error(`login as ${cred.email} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: Record<string, unknown> };
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('aizalo_session='));
  const cookie = (setCookie ?? `aizalo_session=${body.token}`).split(';')[0]!;
  return { cookie, token: body.token, headers: { cookie }, user: body.user };
}

/** Same as loginAs, but for a user created on the fly. */
export async function signedIn(h: Harness, kind: { tenantId: string; role: TenantRole } | { platformRole: PlatformRole }): Promise<Session & { cred: Credentials }> {
  const cred = 'tenantId' in kind ? await createTenantUser(h, kind.tenantId, kind.role) : await createPlatformUser(h, kind.platformRole);
  return { ...(await loginAs(h, cred)), cred };
}
