/**
 * Owner invite links: a stateless token, `base64url(JSON {u: tenant user id, e: expiry ms}).` +
 * HMAC-SHA256 over the payload and the user's current password hash, keyed from SECRET_KEY
 * (HKDF, purpose 'owner-invite'). Setting a password changes the hash, so a link works once.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { isUuid, type Database } from '../../db/client.ts';
import { tenantUsers } from '../../db/schema/index.ts';
import { safeEqual } from '../../crypto.ts';
import { hashPassword } from '../tenancy/passwords.ts';
import { AppError } from '../../errors.ts';

export class InviteError extends AppError {
  constructor(message: string) {
    super('invalid_invite', message);
  }
}

const key = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'aizalo', 'owner-invite', 32));
const sign = (secret: string, payload: string, pwHash: string) => createHmac('sha256', key(secret)).update(`${payload}.${pwHash}`).digest('base64url');

/** A token for `userId` valid `ttlMs` (default 7 days). */
export function makeInviteToken(secret: string, userId: string, pwHash: string, now = Date.now(), ttlMs = 7 * 86_400_000): string {
  const payload = Buffer.from(JSON.stringify({ u: userId, e: now + ttlMs })).toString('base64url');
  return `${payload}.${sign(secret, payload, pwHash)}`;
}

/** The token's payload `{u: uuid, e: expiry ms}`, or undefined for anything else (bad base64/JSON, null, wrong types). */
function decodePayload(payload: string | undefined): { u: string; e: number } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { u, e } = data as { u?: unknown; e?: unknown };
  return isUuid(u) && typeof e === 'number' && Number.isFinite(e) ? { u, e } : undefined;
}

/**
 * Set the invited user's password. @returns the tenant user's id and tenant id.
 * @throws InviteError (400) for a malformed, expired, used or forged token; WeakPasswordError.
 */
export async function acceptInvite(db: Database, secret: string, token: string, password: string, now = Date.now()): Promise<{ userId: string; tenantId: string; email: string }> {
  const [payload, mac] = token.split('.');
  const data = decodePayload(payload);
  if (!data || !mac || data.e < now) throw new InviteError('this invite link has expired or is malformed');
  const hash = await hashPassword(password);
  return db.withPlatform(async (tx) => {
    const [user] = await tx.select().from(tenantUsers).where(eq(tenantUsers.id, data.u)).for('update');
    if (!user || !safeEqual(mac, sign(secret, payload!, user.passwordHash))) throw new InviteError('this invite link was already used or is invalid');
    await tx.update(tenantUsers).set({ passwordHash: hash }).where(eq(tenantUsers.id, user.id));
    return { userId: user.id, tenantId: user.tenantId, email: user.email };
  });
}
