/**
 * Deliver one outbound message through its channel's sender (the `outbound` job's service), for
 * a tenant's message (`messages`) and the sales assistant's reply on the platform's own number
 * (`platform_messages`) alike: claim (tenant: queued → sending, with the send-time ownership
 * check; platform: received → processed), send, record sent / failed. A retryable failure puts
 * it back (queued / received) and rethrows so the queue retries with backoff; a final or
 * non-retryable failure records `failed`. Once the provider accepted a message it is never sent
 * again: only the `sent` status write is retried.
 */
import type { Database } from '../core/db/client.ts';
import type { SecretBox } from '../core/crypto.ts';
import type { Logger } from '../core/logger.ts';
import { outboundSendsTotal } from '../core/metrics.ts';
import type { OutboundJob } from '../core/queue.ts';
import { channelCredentials } from '../core/services/tenancy/channels.ts';
import { claimOutbound, recordPartsSent, recordSend } from '../core/services/conversations/messages.ts';
import { claimPlatformOutbound, markPlatformMessage } from '../core/services/platform/platform-messages.ts';
import { SendError, type ChannelSender, type OutboundSend, type SendResult } from '../core/channel-sender.ts';
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
  route?(job: OutboundJob): Promise<boolean>;
}

type Ctx = Pick<JobContext, 'final' | 'signal'>;
/** Where a send attempt's outcome is written; `retry` puts the message back to be claimed again. */
/** A multi-part message: its parts, how many the provider already accepted, and how to record one more. */
type Parts = { texts: string[]; from: number; accepted(n: number): Promise<void> };
type Record_ = (outcome: { status: 'sent' | 'failed' | 'retry'; externalId?: string; error?: string }) => Promise<void>;

export async function deliverOutbound(deps: DeliveryDeps, job: OutboundJob, ctx: Ctx): Promise<void> {
  if (deps.route && (await deps.route(job))) return;
  if ('platformMessageId' in job) return deliverPlatform(deps, job.platformMessageId, ctx);
  const { claim, skipped } = await claimOutbound(deps.db, job.tenantId, job.messageId);
  if (!claim) {
    deps.log.debug({ messageId: job.messageId, skipped }, 'outbound not sent');
    return;
  }
  const { message, channel, customer } = claim;
  const msg: OutboundSend = {
    tenantId: job.tenantId,
    channel,
    credentials: channelCredentials(deps.box, channel) as Record<string, string>,
    to: customer.handle,
    text: message.text,
    messageId: message.id,
    conversationId: message.conversationId,
    author: message.sender === 'customer' ? 'system' : message.sender,
  };
  // A multi-part reply (SMS split by agents/render/sms.ts) is one row sent as its parts in order;
  // `parts_sent` counts the ones the provider accepted, so a retry resumes and never resends one.
  const parts = { texts: message.parts?.length ? message.parts : [message.text], from: message.partsSent, accepted: (n: number) => recordPartsSent(deps.db, job.tenantId, message.id, n) };
  await sendClaimed(
    deps,
    msg,
    ctx,
    ({ status, externalId, error }) => recordSend(deps.db, job.tenantId, message.id, { status: status === 'retry' ? 'queued' : status, externalId, error, channelType: channel.type }),
    parts,
  );
}

/** A sales-assistant reply on the platform's number (no tenant, no conversation row). */
async function deliverPlatform(deps: DeliveryDeps, id: string, ctx: Ctx): Promise<void> {
  const claim = await claimPlatformOutbound(deps.db, id);
  if (!claim) {
    deps.log.debug({ platformMessageId: id }, 'platform outbound not sent');
    return;
  }
  const { message, channel } = claim;
  const msg: OutboundSend = {
    tenantId: '',
    channel,
    credentials: channelCredentials(deps.box, channel) as unknown as Record<string, string>,
    to: message.phone,
    text: message.text,
    messageId: message.id,
    conversationId: '',
    author: 'system',
  };
  await sendClaimed(deps, msg, ctx, ({ status, externalId }) => markPlatformMessage(deps.db, id, status === 'retry' ? 'received' : status, externalId));
}

/** Send a claimed message and record the outcome (metrics by provider; see the module doc). */
async function sendClaimed(deps: DeliveryDeps, msg: OutboundSend, ctx: Ctx, record: Record_, parts?: Parts): Promise<void> {
  const provider = msg.channel.provider;
  const sender = deps.senders[provider];
  let res: SendResult | undefined;
  try {
    if (!sender) throw new SendError(`no sender for provider ${provider}`, false);
    const texts = parts?.texts ?? [msg.text];
    for (let i = parts?.from ?? 0; i < texts.length; i++) {
      const r = await sender.send({ ...msg, text: texts[i]! }, ctx.signal);
      res ??= r;
      if (i < texts.length - 1) await parts?.accepted(i + 1);
    }
  } catch (err) {
    const retryable = err instanceof SendError ? err.retryable : true;
    const final = ctx.final || !retryable;
    await record({ status: final ? 'failed' : 'retry', error: (err as Error).message });
    outboundSendsTotal.inc({ provider, outcome: final ? 'failed' : 'retry' });
    if (!final) throw err;
    deps.log.error({ err, messageId: msg.messageId }, 'outbound message failed for good');
    return;
  }
  // The provider accepted it: from here on only the bookkeeping may be retried, never the send
  // (a failed status write must not put the message back and send it twice).
  outboundSendsTotal.inc({ provider, outcome: 'sent' });
  for (let attempt = 1; ; attempt++) {
    try {
      await record({ status: 'sent', externalId: res?.externalId });
      return;
    } catch (err) {
      if (attempt >= 5) {
        deps.log.error({ err, messageId: msg.messageId }, 'message sent but its status could not be recorded');
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}
