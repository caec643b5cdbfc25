/** `outbound` job: deliver one message through its channel (workers/delivery.ts). */
import { deliverOutbound, type DeliveryDeps } from '../delivery.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const outboundJob =
  (deps: DeliveryDeps): JobHandler<'outbound'> =>
  (payload, ctx) =>
    deliverOutbound(deps, payload, ctx);
