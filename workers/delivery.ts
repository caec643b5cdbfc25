/**
 * Deliver one outbound message through its channel's sender (the `outbound` job's service):
 * claim (queued → sending, with the send-time ownership check), send, record sent / failed.
 * A retryable failure puts it back to `queued` and rethrows so the queue retries with backoff;
 * a final or non-retryable failure records `failed`. Once the provider accepted a message it is
 * never sent again: only the `sent` status write is retried.
 */
import type { Database } from '../core/db/client.ts';
import type { SecretBox } from '../core/crypto.ts';
import type { Logger } from '../core/logger.ts';
import { outboundSendsTotal } from '../core/metrics.ts';
import { channelCredentials } from '../core/services/tenancy/channels.ts';
import { claimOutbound, recordSend } from '../core/services/conversations/messages.ts';
import { SendError, type ChannelSender, type SendResult } from '../core/channel-sender.ts';
import type { JobContext } from './drivers/driver.ts';

export interface DeliveryDeps {
  db: Database;
  box: SecretBox;
  log: Logger;
  senders: Partial<Record<string, ChannelSender>>;
  /**
   * Hand a message to the process that can send it, before claiming it (multi-process WhatsApp:
   * the channel's lease holder, gateway/channels/whatsapp/outbound-route.ts). true = handed
   * over; that process then runs this same delivery with its local sender.
   */
  route?(job: { tenantId: string; messageId: string }): Promise<boolean>;
}

export async function deliverOutbound(
  deps: DeliveryDeps,
  job: { tenantId: string; messageId: string },
  ctx: Pick<JobContext, 'final' | 'signal'>,
): Promise<void> {
  if (deps.route && (await deps.route(job))) return;
  const { claim, skipped } = await claimOutbound(deps.db, job.tenantId, job.messageId);
  if (!claim) {
    deps.log.debug({ messageId: job.messageId, skipped }, 'outbound not sent');
    return;
  }
  const { message, channel, customer } = claim;
  const sender = deps.senders[channel.provider];
  let res: SendResult;
  try {
    if (!sender) throw new SendError(`no sender for provider ${channel.provider}`, false);
    res = await sender.send(
      {
        tenantId: job.tenantId,
        channel,
        credentials: channelCredentials(deps.box, channel) as Record<string, string>,
        to: customer.handle,
        text: message.text,
        messageId: message.id,
        conversationId: message.conversationId,
        author: message.sender === 'customer' ? 'system' : message.sender,
      },
      ctx.signal,
    );
  } catch (err) {
    const retryable = err instanceof SendError ? err.retryable : true;
    const final = ctx.final || !retryable;
    await recordSend(deps.db, job.tenantId, message.id, { status: final ? 'failed' : 'queued', error: (err as Error).message });
    outboundSendsTotal.inc({ provider: channel.provider, outcome: final ? 'failed' : 'retry' });
    if (!final) throw err;
    deps.log.error({ err, messageId: message.id }, 'outbound message failed for good');
    return;
  }
  // The provider accepted it: from here on only the bookkeeping may be retried, never the send
  // (a failed status write must not put the message back to `queued` and send it twice).
  outboundSendsTotal.inc({ provider: channel.provider, outcome: 'sent' });
  for (let attempt = 1; ; attempt++) {
    try {
      await recordSend(deps.db, job.tenantId, message.id, { status: 'sent', externalId: res.externalId, channelType: channel.type });
      return;
    } catch (err) {
      if (attempt >= 5) {
        deps.log.error({ err, messageId: message.id }, 'message sent but its status could not be recorded');
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}
