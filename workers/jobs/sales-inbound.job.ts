/** `sales_inbound` job: answer a message on the platform's number (agents/sales/assistant.ts). */
import { answerSalesMessage, type SalesAssistantDeps } from '../../agents/sales/assistant.ts';
import type { JobHandler } from '../drivers/driver.ts';

/**
 * What the runtime adds to the worker deps for the sales assistant: SECRET_KEY (signs invite
 * tokens) and PUBLIC_URL (links in replies). Both required: an empty secret would sign tokens
 * anyone can forge.
 */
export interface SalesWorkerDeps {
  secretKey: string;
  publicUrl: string;
}

export const salesInboundJob =
  (deps: SalesAssistantDeps): JobHandler<'sales_inbound'> =>
  (payload) =>
    answerSalesMessage(deps, payload.messageId);
