/** All job handlers, wired to their services' dependencies. One line per queue. */
import type { RespondDeps } from '../agents/respond.ts';
import type { DeliveryDeps } from './delivery.ts';
import type { JobHandlers } from './drivers/driver.ts';
import { inboundJob } from './jobs/inbound.job.ts';
import { outboundJob } from './jobs/outbound.job.ts';
import { whatsappOutboundJob } from './jobs/whatsapp-outbound.job.ts';
import { autoHandbackJob } from './jobs/auto-handback.job.ts';
import { kbEmbedJob } from './jobs/kb-embed.job.ts';
import { leadFollowupJob } from './jobs/lead-followup.job.ts';
import { contentGenerateJob } from './jobs/content-generate.job.ts';
import { billingTickJob } from './jobs/billing-tick.job.ts';
import { salesInboundJob, type SalesWorkerDeps } from './jobs/sales-inbound.job.ts';
import { createLocalEmbedder } from '../agents/memory/embedder.ts';
import type { Mailer } from '../core/mail.ts';

/** `mailer`: the sales assistant emails a new owner their invite. */
export type WorkerDeps = RespondDeps & DeliveryDeps & { debounceMs?: number; quietGapMs?: number; mailer?: Mailer } & SalesWorkerDeps;

export function buildHandlers(deps: WorkerDeps): JobHandlers {
  return {
    inbound: inboundJob(deps),
    outbound: outboundJob(deps),
    whatsapp_outbound: whatsappOutboundJob(deps),
    auto_handback: autoHandbackJob(deps),
    kb_embed: kbEmbedJob({ db: deps.db, embedder: deps.embedder ?? createLocalEmbedder(), bus: deps.bus }),
    lead_followup: leadFollowupJob(deps),
    content_generate: contentGenerateJob(deps),
    billing_tick: billingTickJob(deps),
    sales_inbound: salesInboundJob(deps),
  };
}
