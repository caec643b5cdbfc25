/** `inbound` job: debounce + escalation check, then answer the customer (agents/inbound-gate.ts → agents/respond.ts). */
import { handleInbound, type InboundGateDeps } from '../../agents/inbound-gate.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const inboundJob =
  (deps: InboundGateDeps): JobHandler<'inbound'> =>
  (payload, ctx) =>
    handleInbound(deps, payload, ctx.jobId, ctx.signal);
