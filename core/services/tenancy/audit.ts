/**
 * The audit log (append-only: the app role holds SELECT and INSERT only, see migrations 0001/0002).
 * Actions used so far: auth.login, auth.login_failed, auth.rate_limited, auth.logout,
 * auth.password_change, tenant.create, tenant.suspend, tenant.restore, tenant.view_as,
 * settings.update, prices.update, customer.update, user.role_change, conversation.takeover.
 */
import type { Database, Tx } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';

export type ActorType = 'platform_user' | 'tenant_user' | 'system' | 'anonymous';

export interface AuditEntry {
  /** Tenant the action concerns; null for platform-only entries (e.g. a platform login). */
  tenantId?: string | null;
  actorType: ActorType;
  actorId?: string | null;
  action: string;
  target?: string | null;
  data?: Record<string, unknown>;
  ip?: string | null;
}

/** Insert one entry inside the caller's transaction (tenant or platform context). */
export async function auditTx(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: e.tenantId ?? null,
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    action: e.action,
    target: e.target ?? null,
    data: e.data ?? {},
    ip: e.ip ?? null,
  });
}

/** Insert one entry in its own transaction: tenant context when tenantId is set, else platform. */
export async function audit(db: Database, e: AuditEntry): Promise<void> {
  if (e.tenantId) await db.withTenant(e.tenantId, (tx) => auditTx(tx, e));
  else await db.withPlatform((tx) => auditTx(tx, e));
}
