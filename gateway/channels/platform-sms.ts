/**
 * One SMS from the platform's own number (a channel with tenant_id NULL, type sms, status active;
 * `aizalo channel add --platform`), e.g. a team invite to a phone. Logged in platform_messages as a
 * notice (in_reply_to NULL) and marked sent/failed. Sent through the provider's REST API (Twilio
 * Messages.json or Africa's Talking messaging, gateway/channels/sms/*-sender.ts).
 * @returns 'sent', 'failed' (logged; never throws) or 'no_platform_number' when none is set up.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Config } from '../../core/config.ts';
import type { SecretBox } from '../../core/crypto.ts';
import type { Database } from '../../core/db/client.ts';
import { channels } from '../../core/db/schema/index.ts';
import type { Logger } from '../../core/logger.ts';
import { insertPlatformNotice, markPlatformMessage } from '../../core/services/platform/platform-messages.ts';
import { channelCredentials } from '../../core/services/tenancy/channels.ts';
import type { ChannelSender } from '../../core/channel-sender.ts';
import { createAfricasTalkingSender } from './sms/africastalking-sender.ts';
import { createTwilioSender } from './sms/twilio-sender.ts';

export async function sendPlatformSms(
  deps: { db: Database; box: SecretBox; cfg: Config; log: Logger },
  to: string,
  text: string,
): Promise<'sent' | 'failed' | 'no_platform_number'> {
  const [channel] = await deps.db.withPlatform((tx) =>
    tx.select().from(channels).where(and(isNull(channels.tenantId), eq(channels.type, 'sms'), eq(channels.status, 'active'))).limit(1),
  );
  if (!channel) return 'no_platform_number';
  const sender: ChannelSender =
    channel.provider === 'twilio' ? createTwilioSender(deps.cfg.twilioApiBaseUrl) : createAfricasTalkingSender(deps.cfg.africastalkingApiBaseUrl);
  const notice = await insertPlatformNotice(deps.db, { channelId: channel.id, phone: to, repId: null, text });
  try {
    const res = await sender.send({
      tenantId: '',
      channel,
      credentials: channelCredentials(deps.box, channel) as unknown as Record<string, string>,
      to,
      text,
      messageId: notice.id,
      conversationId: '',
      author: 'system',
    });
    await markPlatformMessage(deps.db, notice.id, 'sent', res.externalId);
    return 'sent';
  } catch (err) {
    deps.log.warn({ err, to }, 'platform SMS could not be sent');
    await markPlatformMessage(deps.db, notice.id, 'failed');
    return 'failed';
  }
}
