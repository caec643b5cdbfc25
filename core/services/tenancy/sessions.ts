/**
 * Server-side sessions (table `sessions`, migrations/0012_sessions.sql). A session JWT carries
 * the row's id as `sid`; the HTTP layer calls `checkSession` on every authenticated request (with
 * a short per-process cache), so revoking a row ends the session everywhere within that cache's
 * lifetime (≤ 5 s) whatever the JWT's own expiry says.
 *
 * Revocation reasons in use: logout, password_change, password_reset, role_change, deactivated,
 * view_as_end, revoke_all, revoked (one session by its owner).
 * All queries run in the platform context (the table is platform-only under RLS).
 */
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { sessions, tenants } from '../../db/schema/index.ts';

export type UserKind = 'tenant' | 'platform';

export interface NewSession {
  userId: string;
  kind: UserKind;
  /** Required for tenant users (the tenant they belong to). */
  tenantId?: string;
  /** Absolute lifetime, s (SESSION_MAX_AGE_S). */
  maxAgeS: number;
  userAgent?: string;
  ip?: string;
}

/** The facts a request needs about a live session. */
export interface LiveSession {
  userId: string;
  kind: UserKind;
  tenantId: string | null;
  /** Status of the session's tenant (tenant users), null for platform users. */
  tenantStatus: string | null;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Insert a session row. @returns its id and absolute expiry. */
export async function createSession(db: Database, s: NewSession): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + s.maxAgeS * 1000);
  const [row] = await db.withPlatform((tx) =>
    tx
      .insert(sessions)
      .values({
        userId: s.userId,
        userKind: s.kind,
        tenantId: s.kind === 'tenant' ? s.tenantId! : null,
        expiresAt,
        userAgent: s.userAgent?.slice(0, 300) ?? null,
        ip: s.ip ?? null,
      })
      .returning({ id: sessions.id }),
  );
  return { id: row!.id, expiresAt };
}

/**
 * Check a session and mark it seen (one statement). Live = not revoked, before its absolute
 * expiry, and used within the idle timeout.
 * @param idleS idle timeout, s (SESSION_IDLE_TIMEOUT_S).
 * @returns the session's facts, or undefined when it is unknown, revoked, expired or idle.
 */
export async function checkSession(db: Database, sid: string, idleS: number): Promise<LiveSession | undefined> {
  if (!UUID_RE.test(sid)) return undefined;
  const [row] = await db.withPlatform((tx) =>
    tx
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(
        and(
          eq(sessions.id, sid),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql`now()`),
          gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleS})`),
        ),
      )
      .returning({
        userId: sessions.userId,
        kind: sessions.userKind,
        tenantId: sessions.tenantId,
        tenantStatus: sql<string | null>`(select ${tenants.status} from ${tenants} where ${tenants.id} = ${sessions.tenantId})`,
      }),
  );
  return row;
}

/** Revoke one session (no-op when already revoked). @returns whether a live row was revoked. */
export async function revokeSession(db: Database, sid: string, reason: string): Promise<boolean> {
  if (!UUID_RE.test(sid)) return false;
  const rows = await db.withPlatform((tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: reason })
      .where(and(eq(sessions.id, sid), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id }),
  );
  return rows.length > 0;
}

/**
 * Revoke every live session of one user: password change/reset, role change, deactivation,
 * "sign out everywhere". Other processes stop accepting them within SESSION_CACHE_MS.
 * @param exceptId keep this one (the caller's own session after a password change).
 * @returns the ids revoked.
 */
export async function revokeUserSessions(
  db: Database,
  who: { userId: string; kind: UserKind; exceptId?: string; reason?: string },
): Promise<string[]> {
  const rows = await db.withPlatform((tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: who.reason ?? 'revoked' })
      .where(
        and(
          eq(sessions.userId, who.userId),
          eq(sessions.userKind, who.kind),
          isNull(sessions.revokedAt),
          ...(who.exceptId ? [ne(sessions.id, who.exceptId)] : []),
        ),
      )
      .returning({ id: sessions.id }),
  );
  return rows.map((r) => r.id);
}

/** The user's live sessions, newest first (at most 100). */
export async function listUserSessions(db: Database, who: { userId: string; kind: UserKind }): Promise<SessionInfo[]> {
  const rows = await db.withPlatform((tx) =>
    tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, who.userId), eq(sessions.userKind, who.kind), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      .orderBy(desc(sessions.createdAt))
      .limit(100),
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    userAgent: r.userAgent,
    ip: r.ip,
  }));
}
