/**
 * Hand-off for messages to the platform's own number (a channel with tenant_id NULL): store the
 * message in `platform_messages` (idempotent per channel + provider id) and enqueue
 * `sales_inbound` (jobId = message id). The sales assistant decides whether the sender is a rep.
 * Used by the SMS webhooks and, through the WhatsApp manager's `onPlatformInbound`, by WhatsApp.
 */
import type { JobQueue } from '../../core/queue.ts';
import type { Database } from '../../core/db/client.ts';
import { storePlatformInbound } from '../../core/services/platform/platform-messages.ts';

export interface PlatformInbound {
  /** The platform channel (tenant_id NULL) the message came in on. */
  channelId: string;
  /** Sender, E.164. */
  from: string;
  /** Provider message id (Twilio MessageSid, AT id, WhatsApp key id). */
  externalId: string;
  text: string;
}

/** @returns the platform message id and whether it was new (false = provider redelivery). */
export async function handlePlatformInbound(deps: { db: Database; queue: JobQueue }, msg: PlatformInbound): Promise<{ id: string; created: boolean }> {
  const stored = await storePlatformInbound(deps.db, { channelId: msg.channelId, phone: msg.from, externalId: msg.externalId, text: msg.text });
  await deps.queue.enqueue('sales_inbound', { messageId: stored.id }, { jobId: stored.id });
  return stored;
}
