/**
 * Close the onboarding loop: a business onboarded by `/onboard` gets its owner's invite directly —
 * an SMS from the platform number the rep wrote to, and an email (core/mail.ts).
 *
 * The SMS is a platform_messages notice (outbound, in_reply_to NULL) stored inside the onboarding's
 * transaction, so it exists exactly when the business does; after commit it is enqueued on
 * `outbound` (jobId = its id) like the rep's reply, so the delivery's claim sends it at most once
 * and retries a failure. Only the run that onboarded enqueues it and sends the email (a redelivery
 * of the rep's message changes nothing); the rep's reply carries the same link as a fallback.
 */
import type { Database } from '../../core/db/client.ts';
import type { Logger } from '../../core/logger.ts';
import type { Mailer } from '../../core/mail.ts';
import type { JobQueue } from '../../core/queue.ts';
import type { OnboardResult } from '../../core/services/platform/onboarding.ts';
import { insertPlatformNotice } from '../../core/services/platform/platform-messages.ts';
import { deliverInviteEmail, inviteEmail, inviteSms } from '../../core/services/tenancy/invites-tenant.ts';

export interface OwnerInvite {
  /** platform_messages id of the stored SMS. */
  noticeId: string;
  onboarded: OnboardResult;
}

/** Inside the onboarding transaction (`db` joins it): store the owner's invite SMS, not sent yet. */
export async function storeOwnerInvite(db: Database, channelId: string, repId: string | null, r: OnboardResult): Promise<OwnerInvite> {
  const notice = await insertPlatformNotice(db, { channelId, phone: r.owner.phone, repId, text: inviteSms(r.tenant, r.inviteUrl) });
  return { noticeId: notice.id, onboarded: r };
}

/** After commit: enqueue the SMS and send the email (a failed email is logged, never thrown). */
export async function sendOwnerInvite(deps: { queue: JobQueue; mailer?: Mailer; log: Logger }, invite: OwnerInvite): Promise<void> {
  await deps.queue.enqueue('outbound', { platformMessageId: invite.noticeId }, { jobId: invite.noticeId });
  const r = invite.onboarded;
  if (deps.mailer) await deliverInviteEmail({ mailer: deps.mailer, log: deps.log }, inviteEmail(r.owner.email, r.tenant, 'owner', r.inviteUrl));
}
