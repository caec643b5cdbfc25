/**
 * Subscription lifecycle with a controllable clock on the real PostgreSQL: trial ends → past_due →
 * suspended after the grace period; a payment → active; an unpaid period → past_due again; a tenant
 * suspended by hand is not revived by a payment; the `billing_tick` job honours its `at` clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineDriver } from '../../workers/drivers/inline-driver.ts';
import { billingTickJob } from '../../workers/jobs/billing-tick.job.ts';
import { openDatabase, type OwnerDatabase } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { recordPayment } from '../../core/services/platform/payments.ts';
import { billingTick, DEFAULT_POLICY, getSubscription } from '../../core/services/platform/subscriptions.ts';
import { createTenant } from '../../core/services/tenancy/tenants.ts';
import { createTestDatabase } from '../helpers/pg.ts';

let db: OwnerDatabase;
let drop: () => Promise<void>;
const DAY = 86_400_000;
const status = async (id: string) => {
  const [r] = await db.query<{ t: string; s: string }>('select t.status as t, s.status as s from tenants t join subscriptions s on s.tenant_id = t.id where t.id = $1', [id]);
  return r;
};

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = await openDatabase({ databaseUrl: t.url, dataDir: '/tmp' });
});
afterAll(async () => {
  await db?.close();
  await drop?.();
});

describe('subscription lifecycle', () => {
  it('trial → past_due → suspended → (payment) active → past_due', async () => {
    const tenant = await createTenant(db, { slug: 'life-one', name: 'Life One', industry: 'beauty' });
    const sub = await getSubscription(db, tenant.id);
    expect(sub).toMatchObject({ status: 'trial' });
    const trialEnd = sub!.trialEndsAt!.getTime();
    expect(trialEnd - tenant.createdAt.getTime()).toBe(DEFAULT_POLICY.trialMs);

    expect(await billingTick(db, new Date(trialEnd - 1000))).toEqual([]);
    expect(await status(tenant.id)).toEqual({ t: 'trial', s: 'trial' });

    const t1 = new Date(trialEnd + 1000);
    expect(await billingTick(db, t1)).toEqual([{ tenantId: tenant.id, from: 'trial', to: 'past_due' }]);
    expect(await status(tenant.id)).toEqual({ t: 'past_due', s: 'past_due' });
    expect(await billingTick(db, t1)).toEqual([]); // idempotent at the same instant

    // Grace is counted from the trial's end: 6 days later still past_due, 7 days later suspended.
    expect(await billingTick(db, new Date(trialEnd + 6 * DAY))).toEqual([]);
    const t2 = new Date(trialEnd + 7 * DAY);
    expect(await billingTick(db, t2)).toEqual([{ tenantId: tenant.id, from: 'past_due', to: 'suspended' }]);
    expect(await status(tenant.id)).toEqual({ t: 'suspended', s: 'suspended' });

    // A payment reactivates and sets the next billing date one month on.
    const t3 = new Date(t2.getTime() + DAY);
    const { created } = await recordPayment(db, { tenantId: tenant.id, reference: 'life-one-1', amountCents: 250_000, method: 'manual', paidAt: t3 }, t3);
    expect(created).toBe(true);
    expect(await status(tenant.id)).toEqual({ t: 'active', s: 'active' });
    const paid = await getSubscription(db, tenant.id);
    expect(paid!.pastDueSince).toBeNull();
    const periodEnd = paid!.currentPeriodEnd!.getTime();
    expect(periodEnd - t3.getTime()).toBeGreaterThanOrEqual(28 * DAY);
    expect(periodEnd - t3.getTime()).toBeLessThanOrEqual(31 * DAY);

    expect(await billingTick(db, new Date(periodEnd - 1000))).toEqual([]);
    expect(await billingTick(db, new Date(periodEnd + 1000))).toEqual([{ tenantId: tenant.id, from: 'active', to: 'past_due' }]);
    // Paying early for the next period extends from the current period's end.
    await recordPayment(db, { tenantId: tenant.id, reference: 'life-one-2', amountCents: 250_000, method: 'manual', paidAt: new Date(periodEnd + 2000) }, new Date(periodEnd + 2000));
    const again = await getSubscription(db, tenant.id);
    expect(again).toMatchObject({ status: 'active' });
    expect(again!.currentPeriodEnd!.getTime()).toBeGreaterThan(periodEnd + 27 * DAY);
  });

  it('never revives a tenant suspended by hand, and active tenants without a billing date are left alone', async () => {
    const t = await createTenant(db, { slug: 'life-two', name: 'Life Two', industry: 'law' });
    const comped = await createTenant(db, { slug: 'life-comped', name: 'Comped', industry: 'law', status: 'active' });
    const sub = await getSubscription(db, t.id);
    const after = new Date(sub!.trialEndsAt!.getTime() + 1000);
    await billingTick(db, after);
    await db.query(`update tenants set status = 'suspended' where id = $1`, [t.id]); // an admin suspends it
    await recordPayment(db, { tenantId: t.id, reference: 'life-two-1', amountCents: 250_000, method: 'manual', paidAt: after }, after);
    expect(await status(t.id)).toEqual({ t: 'suspended', s: 'active' });
    await billingTick(db, new Date(after.getTime() + 400 * DAY));
    expect((await status(comped.id))!.t).toBe('active');
  });

  it('runs through the billing_tick job with its `at` clock', async () => {
    const t = await createTenant(db, { slug: 'life-three', name: 'Life Three', industry: 'tech' });
    const sub = await getSubscription(db, t.id);
    const q = createInlineDriver(createLogger('silent'));
    await q.start({ billing_tick: billingTickJob({ db }) });
    await q.enqueue('billing_tick', { at: new Date(sub!.trialEndsAt!.getTime() + 1000).toISOString() });
    await q.idle();
    await q.close();
    expect(await status(t.id)).toEqual({ t: 'past_due', s: 'past_due' });
  });
});
