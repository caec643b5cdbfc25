/** `inbound` job: answer one customer message (agents/respond.ts). */
import { answerInbound, type RespondDeps } from '../../agents/respond.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const inboundJob =
  (deps: RespondDeps): JobHandler<'inbound'> =>
  (payload) =>
    answerInbound(deps, payload);
