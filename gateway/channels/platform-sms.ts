/**
 * One SMS from the platform's own number (a channel with tenant_id NULL, type sms, status active;
 * `aizalo channel add --platform`), e.g. a team invite to a phone: stored in platform_messages as
 * a notice (outbound, in_reply_to NULL) and enqueued on `outbound` (payload {platformMessageId},
 * jobId = its id), so workers/delivery.ts claims, sends, retries and records it like every reply.
 * @returns 'queued', or 'no_platform_number' when none is set up (nothing stored).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../core/db/client.ts';
import { channels } from '../../core/db/schema/index.ts';
import type { JobQueue } from '../../core/queue.ts';
import { insertPlatformNotice } from '../../core/services/platform/platform-messages.ts';

export async function sendPlatformSms(deps: { db: Database; queue: JobQueue }, to: string, text: string): Promise<'queued' | 'no_platform_number'> {
  const [channel] = await deps.db.withPlatform((tx) =>
    tx.select({ id: channels.id }).from(channels).where(and(isNull(channels.tenantId), eq(channels.type, 'sms'), eq(channels.status, 'active'))).limit(1),
  );
  if (!channel) return 'no_platform_number';
  const notice = await insertPlatformNotice(deps.db, { channelId: channel.id, phone: to, repId: null, text });
  await deps.queue.enqueue('outbound', { platformMessageId: notice.id }, { jobId: notice.id });
  return 'queued';
}
