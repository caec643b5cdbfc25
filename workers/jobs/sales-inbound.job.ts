/** `sales_inbound` job: answer a message on the platform's number (agents/sales/assistant.ts). */
import { answerSalesMessage, type SalesAssistantDeps } from '../../agents/sales/assistant.ts';
import type { JobHandler } from '../drivers/driver.ts';

/** What the runtime adds to the worker deps for the sales assistant (links and invite tokens). */
export interface SalesWorkerDeps {
  secretKey?: string;
  publicUrl?: string;
}

export const salesInboundJob =
  (deps: Omit<SalesAssistantDeps, 'secretKey' | 'publicUrl'> & SalesWorkerDeps): JobHandler<'sales_inbound'> =>
  (payload, ctx) =>
    answerSalesMessage({ ...deps, secretKey: deps.secretKey ?? '', publicUrl: deps.publicUrl ?? '' }, payload.messageId, ctx.signal);
