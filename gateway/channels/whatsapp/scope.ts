/**
 * Transaction scope for a WhatsApp channel's rows: the tenant's own transaction (RLS) for a
 * tenant channel, the platform context for the platform's own number (tenant_id NULL).
 */
import type { Database, Tx } from '../../../core/db/client.ts';

export interface ChannelRef {
  channelId: string;
  /** null for the platform's own WhatsApp number. */
  tenantId: string | null;
}

export function inChannelScope<T>(db: Database, ref: ChannelRef, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ref.tenantId ? db.withTenant(ref.tenantId, fn) : db.withPlatform(fn);
}
