/**
 * Parking for inbound WhatsApp messages whose ingest failed (database or queue error). Baileys
 * acknowledges a message to WhatsApp before it reaches us, so WhatsApp never redelivers it: a
 * message we fail to store would be lost. Instead the raw `WAMessage` is parked in
 * whatsapp_inbound_pending (Baileys `BufferJSON`, encrypted with SecretBox(SECRET_KEY,
 * 'whatsapp-inbound')) and ingested again by `drain` — on a timer and whenever the channel's
 * socket opens (so also after a restart) — until it is stored; then the row is deleted.
 *
 * If parking itself fails (the database is down), the message is held in memory and parked or
 * ingested by the next drain; only a crash during that outage can lose it.
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { BufferJSON, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { SecretBox } from '../../../core/crypto.ts';
import type { Database } from '../../../core/db/client.ts';
import { whatsappInboundPending as pending } from '../../../core/db/schema/index.ts';
import type { Logger } from '../../../core/logger.ts';
import { inChannelScope, type ChannelRef } from './scope.ts';

export interface InboundPending {
  /** Park a message whose ingest failed (never throws: falls back to memory). */
  park(ref: ChannelRef, raw: WAMessage, err: unknown): Promise<void>;
  /**
   * Ingest again what is due for this channel (held in memory first, then parked rows whose
   * next attempt is due, oldest first). A success deletes the row; a failure backs it off
   * (retryBaseMs doubling per attempt, capped at 10 min; it is never dropped).
   * @returns how many were stored.
   */
  drain(ref: ChannelRef, ingest: (raw: WAMessage) => Promise<void>): Promise<number>;
}

/**
 * @param box SecretBox(SECRET_KEY, 'whatsapp-inbound').
 * @param retryBaseMs first retry delay after a failed drain attempt (ms), doubling per attempt.
 */
export function createInboundPending(deps: { db: Database; box: SecretBox; log: Logger; retryBaseMs: number }): InboundPending {
  const { db, box, log } = deps;
  const backoffSql = (attempts: number) => `${Math.min(600_000, deps.retryBaseMs * 2 ** Math.min(attempts - 1, 20))} milliseconds`;
  const held = new Map<string, Map<string, WAMessage>>();
  const encode = (raw: WAMessage) => box.encrypt(JSON.stringify(raw, BufferJSON.replacer));
  const decode = (text: string) => proto.WebMessageInfo.fromObject(JSON.parse(box.decrypt(text), BufferJSON.reviver)) as WAMessage;
  const message = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 500);

  async function insert(ref: ChannelRef, raw: WAMessage, err: unknown): Promise<void> {
    await inChannelScope(db, ref, (tx) =>
      tx
        .insert(pending)
        .values({ channelId: ref.channelId, tenantId: ref.tenantId, waMessageId: raw.key?.id ?? '', dataEnc: encode(raw), attempts: 1, lastError: message(err) })
        .onConflictDoNothing(),
    );
  }

  return {
    async park(ref, raw, err) {
      try {
        await insert(ref, raw, err);
        log.warn({ err, channelId: ref.channelId, id: raw.key?.id }, 'whatsapp inbound message parked for a later retry');
      } catch (parkErr) {
        let m = held.get(ref.channelId);
        if (!m) held.set(ref.channelId, (m = new Map()));
        m.set(raw.key?.id ?? '', raw);
        log.error({ err: parkErr, channelId: ref.channelId, id: raw.key?.id }, 'whatsapp inbound message held in memory (could not park it)');
      }
    },

    async drain(ref, ingest) {
      let stored = 0;
      for (const [id, raw] of held.get(ref.channelId) ?? []) {
        const ok = await ingest(raw)
          .then(() => true, async (err) => (await insert(ref, raw, err), false))
          .catch(() => undefined);
        if (ok === undefined) continue; // neither stored nor parked: keep holding it
        if (ok) stored++;
        held.get(ref.channelId)?.delete(id);
      }
      const due = await inChannelScope(db, ref, (tx) =>
        tx
          .select()
          .from(pending)
          .where(and(eq(pending.channelId, ref.channelId), lte(pending.nextAttemptAt, sql`now()`)))
          .orderBy(asc(pending.createdAt))
          .limit(100),
      );
      for (const row of due) {
        const where = and(eq(pending.channelId, ref.channelId), eq(pending.waMessageId, row.waMessageId));
        try {
          await ingest(decode(row.dataEnc));
          await inChannelScope(db, ref, (tx) => tx.delete(pending).where(where));
          stored++;
        } catch (err) {
          if (row.attempts >= 10) log.error({ err, channelId: ref.channelId, id: row.waMessageId, attempts: row.attempts }, 'whatsapp inbound message still not stored');
          await inChannelScope(db, ref, (tx) =>
            tx
              .update(pending)
              .set({ attempts: row.attempts + 1, lastError: message(err), nextAttemptAt: sql`now() + ${backoffSql(row.attempts)}::interval` })
              .where(where),
          ).catch(() => undefined);
        }
      }
      return stored;
    },
  };
}
