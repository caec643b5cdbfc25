/** `auto_handback` job: give an idle human-owned conversation back to the AI (core/services/conversations/auto-handback.ts). */
import { autoHandbackIfIdle, type AutoHandbackDeps } from '../../core/services/conversations/auto-handback.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const autoHandbackJob =
  (deps: AutoHandbackDeps): JobHandler<'auto_handback'> =>
  async (payload) => {
    await autoHandbackIfIdle(deps, payload);
  };
