/** `whatsapp_outbound` job (routed, on the channel's lease holder): deliver through the local socket (workers/delivery.ts). */
import { deliverOutbound, type DeliveryDeps } from '../delivery.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const whatsappOutboundJob =
  (deps: DeliveryDeps): JobHandler<'whatsapp_outbound'> =>
  // Already routed here: deliver locally, never route again.
  (payload, ctx) =>
    deliverOutbound({ ...deps, route: undefined }, payload, ctx);
