/**
 * Close the onboarding loop: after `/onboard` commits, the new owner gets their invite directly —
 * an SMS from the platform number the rep wrote to (logged in platform_messages as a notice) and
 * an email (core/mail.ts). Best effort and at most once: each notice is sent by the run that
 * onboarded (a retry of the rep's reply does not repeat it); a failure is logged and recorded as
 * `failed`, and the rep's reply carries the same link as a fallback.
 */
import type { OnboardResult } from '../../core/services/platform/onboarding.ts';
import { insertPlatformNotice, markPlatformMessage } from '../../core/services/platform/platform-messages.ts';
import { channelCredentials, type ChannelRow } from '../../core/services/tenancy/channels.ts';
import { deliverInviteEmail, inviteEmail, inviteSms } from '../../core/services/tenancy/invites-tenant.ts';
import type { SalesAssistantDeps } from './assistant.ts';

export async function notifyNewOwner(deps: SalesAssistantDeps, channel: ChannelRow, repId: string | null, r: OnboardResult, signal?: AbortSignal): Promise<void> {
  if (deps.mailer) await deliverInviteEmail({ mailer: deps.mailer, log: deps.log }, inviteEmail(r.owner.email, r.tenant, 'owner', r.inviteUrl));
  const sender = deps.senders[channel.provider];
  if (!sender) return;
  const notice = await insertPlatformNotice(deps.db, { channelId: channel.id, phone: r.owner.phone, repId, text: inviteSms(r.tenant, r.inviteUrl) });
  try {
    const res = await sender.send(
      {
        tenantId: '',
        channel,
        credentials: channelCredentials(deps.box, channel) as unknown as Record<string, string>,
        to: r.owner.phone,
        text: notice.text,
        messageId: notice.id,
        conversationId: '',
        author: 'system',
      },
      signal,
    );
    await markPlatformMessage(deps.db, notice.id, 'sent', res.externalId);
  } catch (err) {
    deps.log.warn({ err, tenant: r.tenant.slug }, "the new owner's invite SMS could not be sent; the rep has the link");
    await markPlatformMessage(deps.db, notice.id, 'failed');
  }
}
