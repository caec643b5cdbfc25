/** `billing_tick` job: move due subscriptions (core/services/platform/subscriptions.ts). */
import type { Database } from '../../core/db/client.ts';
import { billingTick } from '../../core/services/platform/subscriptions.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const billingTickJob =
  (deps: { db: Database }): JobHandler<'billing_tick'> =>
  async (payload) => {
    await billingTick(deps.db, payload.at ? new Date(payload.at) : new Date());
  };
