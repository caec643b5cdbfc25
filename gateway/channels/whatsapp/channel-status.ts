/**
 * A WhatsApp channel's link status, stored on the channel (channels.status plus
 * settings.whatsappLink = {status, reason, at}) and announced on the event bus:
 * `tenant:<id>` (the tenant's live views; `platform:whatsapp` for the platform's own number) and
 * `whatsapp:<channelId>` (anyone watching one channel, e.g. the CLI while linking).
 * Events: {type:'whatsapp.status', channelId, status, reason?} and {type:'whatsapp.qr', channelId, qr}.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../core/db/client.ts';
import { topics, type EventBus, type WhatsAppEvent, type WhatsAppLinkStatus } from '../../../core/events.ts';
import { channels } from '../../../core/db/schema/index.ts';
import { inChannelScope, type ChannelRef } from './scope.ts';

/** linking: waiting for QR/pairing code; standby: another process holds the socket. */
export type LinkStatus = WhatsAppLinkStatus;

/** Statuses worth writing to the database (the rest are transient, in memory only). */
const STORED: LinkStatus[] = ['linking', 'connected', 'reconnecting', 'logged_out', 'stopped'];

export function channelTopics(ref: ChannelRef) {
  return [ref.tenantId ? topics.tenant(ref.tenantId) : topics.platformWhatsapp, topics.whatsapp(ref.channelId)];
}

/** A WhatsApp event without its channelId (added here from `ref`). */
type ChannelEventBody<E = WhatsAppEvent> = E extends WhatsAppEvent ? Omit<E, 'channelId'> : never;

export async function publishChannelEvent(bus: EventBus, ref: ChannelRef, event: ChannelEventBody): Promise<void> {
  const full = { ...event, channelId: ref.channelId } as WhatsAppEvent;
  await Promise.all(channelTopics(ref).map((t) => bus.publish(t, full)));
}

/** Store (when durable) and publish a status change. */
export async function saveStatus(
  deps: { db: Database; bus: EventBus },
  ref: ChannelRef,
  status: LinkStatus,
  reason?: string,
): Promise<void> {
  if (STORED.includes(status)) {
    const info = JSON.stringify({ status, reason: reason ?? null, at: new Date().toISOString() });
    await inChannelScope(deps.db, ref, (tx) =>
      tx
        .update(channels)
        .set({ status, settings: sql`jsonb_set(${channels.settings}, '{whatsappLink}', ${info}::jsonb)` })
        .where(eq(channels.id, ref.channelId)),
    );
  }
  await publishChannelEvent(deps.bus, ref, { type: 'whatsapp.status', status, reason });
}
