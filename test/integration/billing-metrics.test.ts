/**
 * MRR, movements, churn, ARPA and commissions against a 14-month fixture (Jan 2025 – Feb 2026) on
 * the real PostgreSQL. Every expected figure below is worked out by hand from the fixture; amounts
 * in the comments are KES, the code compares KES cents (× 100).
 *
 * Fees: starter 2,500; professional 7,500; growth 15,000; B pays 81,000 once for 12 months (6,750/month).
 *   A (rep R1) starter Jan–Jun 2025, professional Jul–Dec 2025, then stops.
 *   B (rep R2) annual, 2025-03-01 → 2026-03-01.
 *   C (no rep) growth Feb–Apr 2025, nothing May–Jun, starter again Jul 2025 – Feb 2026.
 *   D (rep R1) growth Jan–Sep 2025, professional Oct 2025 – Feb 2026.
 *   E (rep R2) starter, periods from the 15th: May 15 – Aug 15 2025 (overlaps May, Jun, Jul, Aug).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OwnerDatabase } from '../../core/db/client.ts';
import { platformUsers, salesRepSettings } from '../../core/db/schema/index.ts';
import { advanceCommissions, leaderboard, repCommissionsByMonth } from '../../core/services/platform/commissions.ts';
import { mrrSeries } from '../../core/services/platform/metrics.ts';
import { recordPayment, PaymentConflictError } from '../../core/services/platform/payments.ts';
import { createTenant } from '../../core/services/tenancy/tenants.ts';
import { createTestDatabase } from '../helpers/pg.ts';

let db: OwnerDatabase;
let drop: () => Promise<void>;
const K = (kes: number) => Math.round(kes * 100);
const ids: Record<string, string> = {};
let r1: string;
let r2: string;

const monthly = async (tenant: string, plan: string, fee: number, from: string, n: number, day = 1) => {
  const [y, m] = from.split('-').map(Number) as [number, number];
  for (let i = 0; i < n; i++) {
    const start = new Date(Date.UTC(y, m - 1 + i, day));
    await recordPayment(db, {
      tenantId: ids[tenant]!,
      reference: `${tenant}-${start.toISOString().slice(0, 10)}`,
      amountCents: K(fee),
      method: 'manual',
      planId: plan,
      paidAt: start,
      periodStart: start,
    });
  }
};

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = await openDatabase({ databaseUrl: t.url, dataDir: '/tmp' });
  const reps = await db.withPlatform((tx) =>
    tx
      .insert(platformUsers)
      .values([
        { email: 'r1@aizalo.test', passwordHash: 'x', role: 'sales', name: 'Rep One' },
        { email: 'r2@aizalo.test', passwordHash: 'x', role: 'sales', name: 'Rep Two' },
      ])
      .returning(),
  );
  r1 = reps[0]!.id;
  r2 = reps[1]!.id;
  // R1 keeps the defaults (20 % first payment, 10 % recurring); R2 gets 30 % / 5 %.
  await db.withPlatform((tx) => tx.insert(salesRepSettings).values({ userId: r2, firstPaymentRateBp: 3000, recurringRateBp: 500 }));
  const reps2: Record<string, string | undefined> = { a: r1, b: r2, c: undefined, d: r1, e: r2 };
  for (const k of ['a', 'b', 'c', 'd', 'e']) {
    const row = await createTenant(db, { slug: `fixture-${k}`, name: `Fixture ${k}`, industry: 'hotels', assignedSalesRepId: reps2[k] });
    ids[k] = row.id;
  }
  await monthly('a', 'starter', 2500, '2025-01', 6);
  await monthly('a', 'professional', 7500, '2025-07', 6);
  const bStart = new Date(Date.UTC(2025, 2, 1));
  await recordPayment(db, { tenantId: ids.b!, reference: 'b-annual', amountCents: K(81000), periodMonths: 12, method: 'manual', planId: 'professional', paidAt: bStart, periodStart: bStart });
  await monthly('c', 'growth', 15000, '2025-02', 3);
  await monthly('c', 'starter', 2500, '2025-07', 8);
  await monthly('d', 'growth', 15000, '2025-01', 9);
  await monthly('d', 'professional', 7500, '2025-10', 5);
  await monthly('e', 'starter', 2500, '2025-05', 3, 15);
});
afterAll(async () => {
  await db?.close();
  await drop?.();
});

describe('MRR and movements over 14 months', () => {
  it('matches the hand-worked figures month by month', async () => {
    const s = await mrrSeries(db, '2026-02-01', 14);
    expect(s.map((m) => m.month)).toEqual([
      '2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01', '2025-06-01', '2025-07-01',
      '2025-08-01', '2025-09-01', '2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01',
    ]);
    // Jan A+D; Feb +C; Mar +B; May C gone, E in; Jul A→7,500, C back at 2,500; Sep E gone;
    // Oct D→7,500; Jan 2026 A gone.
    expect(s.map((m) => m.mrrCents / 100)).toEqual([
      17500, 32500, 39250, 39250, 26750, 26750, 34250, 34250, 31750, 24250, 24250, 24250, 16750, 16750,
    ]);
    expect(s.map((m) => m.payingTenants)).toEqual([2, 3, 4, 4, 4, 4, 5, 5, 4, 4, 4, 4, 3, 3]);
    const mv = (i: number) => {
      const m = s[i]!;
      return [m.newCents, m.expansionCents, m.contractionCents, m.churnCents, m.reactivationCents].map((c) => c / 100);
    };
    //                 new   exp  contr churn react
    expect(mv(0)).toEqual([17500, 0, 0, 0, 0]); // A 2,500 + D 15,000
    expect(mv(1)).toEqual([15000, 0, 0, 0, 0]); // C
    expect(mv(2)).toEqual([6750, 0, 0, 0, 0]); // B
    expect(mv(3)).toEqual([0, 0, 0, 0, 0]);
    expect(mv(4)).toEqual([2500, 0, 0, 15000, 0]); // E new, C churns
    expect(mv(6)).toEqual([0, 5000, 0, 0, 2500]); // A upgrades, C comes back
    expect(mv(8)).toEqual([0, 0, 0, 2500, 0]); // E churns
    expect(mv(9)).toEqual([0, 0, 7500, 0, 0]); // D downgrades 15,000 → 7,500
    expect(mv(12)).toEqual([0, 0, 0, 7500, 0]); // A churns
    for (const i of [5, 7, 10, 11, 13]) expect(mv(i)).toEqual([0, 0, 0, 0, 0]);
    // net new = MRR(M) - MRR(M-1) in every month
    s.forEach((m, i) => expect(m.netNewCents).toBe(m.mrrCents - (i ? s[i - 1]!.mrrCents : 0)));
  });

  it('computes churn rates and ARPA', async () => {
    const s = await mrrSeries(db, '2026-02-01', 14);
    const by = Object.fromEntries(s.map((m) => [m.month, m]));
    expect(by['2025-05-01']!.logoChurnRate).toBe(1 / 4); // C of A,B,C,D
    expect(by['2025-05-01']!.revenueChurnRate).toBeCloseTo(15000 / 39250, 10);
    expect(by['2025-09-01']!.logoChurnRate).toBe(1 / 5); // E of A..E
    expect(by['2025-10-01']!.logoChurnRate).toBe(0);
    expect(by['2025-10-01']!.revenueChurnRate).toBeCloseTo(7500 / 31750, 10); // contraction only
    expect(by['2026-01-01']!.logoChurnRate).toBe(1 / 4);
    expect(by['2026-01-01']!.revenueChurnRate).toBeCloseTo(7500 / 24250, 10);
    expect(by['2025-01-01']!.logoChurnRate).toBeNull(); // nobody paid in Dec 2024
    expect(by['2026-02-01']!.arpaCents).toBe(Math.round(1675000 / 3)); // 16,750 / 3 tenants
    expect(by['2025-07-01']!.arpaCents).toBe(685000); // 34,250 / 5
    // A 3-month window still knows C's July return is a reactivation (first paid Feb 2025).
    const short = await mrrSeries(db, '2025-08-01', 2);
    expect(short[0]!.reactivationCents).toBe(K(2500));
    expect(short[0]!.newCents).toBe(0);
  });
});

describe('payments are idempotent on the reference', () => {
  it('a replayed reference creates nothing; a reused one with another amount is a conflict', async () => {
    const before = await db.query<{ n: number }>('select (select count(*) from platform_revenue)::int + (select count(*) from commissions)::int as n');
    const again = await recordPayment(db, { tenantId: ids.a!, reference: 'a-2025-03-01', amountCents: K(2500), method: 'manual', planId: 'starter', periodStart: new Date(Date.UTC(2025, 2, 1)) });
    expect(again.created).toBe(false);
    await expect(recordPayment(db, { tenantId: ids.a!, reference: 'a-2025-03-01', amountCents: K(9999), method: 'manual' })).rejects.toBeInstanceOf(PaymentConflictError);
    await expect(recordPayment(db, { tenantId: ids.a!, reference: 'zero', amountCents: 0, method: 'manual' })).rejects.toMatchObject({ statusCode: 400 });
    const after = await db.query<{ n: number }>('select (select count(*) from platform_revenue)::int + (select count(*) from commissions)::int as n');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('commissions', () => {
  it('one per payment of an assigned tenant: first-payment rate once, then recurring', async () => {
    const rows = await db.query<{ rep_id: string; total: string; n: number; first: number }>(
      `select rep_id, sum(amount_cents)::text as total, count(*)::int as n, count(*) filter (where kind = 'first')::int as first from commissions group by rep_id`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.rep_id, r]));
    // R1: A 500 + 5×250 + 6×750 = 6,250; D 3,000 + 8×1,500 + 5×750 = 18,750 → 25,000 over 26 payments.
    expect(by[r1]).toMatchObject({ total: String(K(25000)), n: 26, first: 2 });
    // R2: B 30 % of 81,000 = 24,300; E 750 + 2×125 = 1,000 → 25,300 over 4 payments.
    expect(by[r2]).toMatchObject({ total: String(K(25300)), n: 4, first: 2 });
    const c = await db.query('select count(*)::int as n from commissions where tenant_id = $1', [ids.c]);
    expect(c[0]!.n).toBe(0); // C has no rep
  });

  it('ranks reps by month', async () => {
    const mar = await leaderboard(db, '2025-03-01');
    // R2: B's first payment 24,300. R1: A 250 + D 1,500 = 1,750.
    expect(mar.map((r) => [r.repId, r.commissionCents / 100, r.payments, r.newTenants])).toEqual([
      [r2, 24300, 1, 1],
      [r1, 1750, 2, 0],
    ]);
    const jul = await leaderboard(db, '2025-07-01');
    // R1: A 750 + D 1,500 = 2,250 on 22,500 of revenue; R2: E 125 on 2,500.
    expect(jul.map((r) => [r.repId, r.commissionCents / 100, r.revenueCents / 100])).toEqual([
      [r1, 2250, 22500],
      [r2, 125, 2500],
    ]);
  });

  it('moves pending → approved → paid, each step once', async () => {
    const r2Ids = (await db.query<{ id: string }>('select id from commissions where rep_id = $1 order by month', [r2])).map((r) => r.id);
    expect(await advanceCommissions(db, 'pay', r2Ids)).toEqual([]); // not approved yet
    expect((await advanceCommissions(db, 'approve', r2Ids)).sort()).toEqual([...r2Ids].sort());
    expect(await advanceCommissions(db, 'approve', r2Ids)).toEqual([]);
    expect(await advanceCommissions(db, 'pay', [r2Ids[0]!])).toEqual([r2Ids[0]]);
    const months = await repCommissionsByMonth(db, r2);
    expect(months.find((m) => m.month === '2025-03-01')).toMatchObject({ paidCents: K(24300), approvedCents: 0, pendingCents: 0 });
    expect(months.find((m) => m.month === '2025-07-01')).toMatchObject({ approvedCents: K(125), paidCents: 0 });
  });
});

describe('cached month figures', () => {
  it('follow a backdated payment (the months from the payment on are recomputed)', async () => {
    await mrrSeries(db, '2026-02-01', 14); // cached by now
    const cached = await db.query<{ n: number }>(`select count(*)::int as n from mrr_month_summaries where month between '2025-01-01' and '2026-02-01'`);
    expect(cached[0]!.n).toBe(14);
    // E comes back for October 2025 only: reactivation 2,500 in Oct, churn 2,500 in Nov.
    const oct = new Date(Date.UTC(2025, 9, 1));
    await recordPayment(db, { tenantId: ids.e!, reference: 'e-back', amountCents: K(2500), method: 'manual', planId: 'starter', paidAt: oct, periodStart: oct });
    const left = await db.query<{ n: number }>(`select count(*)::int as n from mrr_month_summaries where month between '2025-01-01' and '2026-02-01'`);
    expect(left[0]!.n).toBe(9); // Jan–Sep 2025 kept
    const s = Object.fromEntries((await mrrSeries(db, '2026-02-01', 14)).map((m) => [m.month, m]));
    expect(s['2025-09-01']!.mrrCents).toBe(K(31750));
    expect(s['2025-10-01']).toMatchObject({ mrrCents: K(26750), reactivationCents: K(2500), contractionCents: K(7500) });
    expect(s['2025-11-01']).toMatchObject({ mrrCents: K(24250), churnCents: K(2500) });
  });
});
