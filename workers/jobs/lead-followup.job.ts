/** `lead_followup` job: send a lead's follow-up unless it moved on (core/services/commerce/leads.ts). */
import type { Database } from '../../core/db/client.ts';
import type { JobQueue } from '../../core/queue.ts';
import { runLeadFollowUp } from '../../core/services/commerce/leads.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const leadFollowupJob =
  (deps: { db: Database; queue: JobQueue }): JobHandler<'lead_followup'> =>
  async (payload) => {
    const id = await runLeadFollowUp(deps.db, payload);
    if (id) await deps.queue.enqueue('outbound', { tenantId: payload.tenantId, messageId: id }, { jobId: id });
  };
