/** All job handlers, wired to their services' dependencies. One line per queue. */
import type { RespondDeps } from '../agents/respond.ts';
import type { DeliveryDeps } from './delivery.ts';
import type { JobHandlers } from './drivers/driver.ts';
import { inboundJob } from './jobs/inbound.job.ts';
import { outboundJob } from './jobs/outbound.job.ts';
import { billingTickJob } from './jobs/billing-tick.job.ts';
import { salesInboundJob, type SalesWorkerDeps } from './jobs/sales-inbound.job.ts';

export type WorkerDeps = RespondDeps & DeliveryDeps & { debounceMs?: number } & SalesWorkerDeps;

export function buildHandlers(deps: WorkerDeps): JobHandlers {
  return {
    inbound: inboundJob(deps),
    outbound: outboundJob(deps),
    billing_tick: billingTickJob(deps),
    sales_inbound: salesInboundJob(deps),
  };
}
