/**
 * LID ↔ phone number pairs per channel (table whatsapp_lid_map), so that one person addressed
 * first by LID and later by phone number (or the other way round) is one customer.
 *
 * Customer handles: '+E164' when the phone number is known, else 'lid:<digits>'. When a pair is
 * learned later, a 'lid:' customer is renamed to its phone handle (unless a phone customer already
 * exists: then both stay and a warning is logged by the caller).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../core/db/client.ts';
import { whatsappLidMap } from '../../../core/db/schema/index.ts';
import { inChannelScope, type ChannelRef } from './scope.ts';

export const lidHandle = (lid: string) => `lid:${lid}`;

/**
 * Store a pair (idempotent) and fold a LID-only customer into its phone handle.
 * @param lid LID digits; @param phone '+E164'.
 * @returns 'merged' when a 'lid:' customer was renamed, 'conflict' when both customers exist.
 */
export async function rememberLid(db: Database, ref: ChannelRef, lid: string, phone: string): Promise<'merged' | 'conflict' | 'stored'> {
  return inChannelScope(db, ref, async (tx) => {
    await tx
      .insert(whatsappLidMap)
      .values({ channelId: ref.channelId, tenantId: ref.tenantId, lid, phone })
      .onConflictDoUpdate({ target: [whatsappLidMap.channelId, whatsappLidMap.lid], set: { phone } });
    if (!ref.tenantId) return 'stored';
    const renamed = await tx.execute(sql`
      update customers set handle = ${phone}, phone = ${phone}
      where tenant_id = ${ref.tenantId} and handle = ${lidHandle(lid)}
        and not exists (select 1 from customers c2 where c2.tenant_id = ${ref.tenantId} and c2.handle = ${phone})
      returning id`);
    if (renamed.rows.length) return 'merged';
    const both = await tx.execute(
      sql`select 1 from customers where tenant_id = ${ref.tenantId} and handle = ${lidHandle(lid)} limit 1`,
    );
    return both.rows.length ? 'conflict' : 'stored';
  });
}

/** The phone number ('+E164') paired with a LID on this channel, if known. */
export async function phoneForLid(db: Database, ref: ChannelRef, lid: string): Promise<string | undefined> {
  const [row] = await inChannelScope(db, ref, (tx) =>
    tx
      .select({ phone: whatsappLidMap.phone })
      .from(whatsappLidMap)
      .where(and(eq(whatsappLidMap.channelId, ref.channelId), eq(whatsappLidMap.lid, lid))),
  );
  return row?.phone;
}
