/**
 * Billing writes need `billing.write` (owner, admin): a support user and a sales rep get 403 on
 * recording a payment, setting rep rates, approving/paying commissions (even their own) and
 * canceling a subscription, and nothing changes. Malformed owner-invite tokens answer 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPayment } from '../../core/services/platform/payments.ts';
import { PLATFORM_ROLES, platformCan } from '../../core/services/tenancy/permissions.ts';
import { createPlatformUser, loginAs, type Session } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { api } from '../helpers/api.ts';

let h: Harness;
let owner: Session;
let support: Session;
let rep: Session & { id: string };
let client: TestTenant;
let commissionId: string;

const call = async (s: Session | undefined, method: string, path: string, body?: unknown) => {
  const { status, body: json } = await api(h, method, path, { headers: s?.headers, body });
  return { status, body: json };
};
const rows = async (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);

beforeAll(async () => {
  h = await startHarness();
  owner = await loginAs(h, await createPlatformUser(h, 'owner'));
  support = await loginAs(h, await createPlatformUser(h, 'support'));
  const r = await createPlatformUser(h, 'sales');
  rep = { ...(await loginAs(h, r)), id: r.id };
  client = await h.tenant({ assignedSalesRepId: r.id, name: 'Rep Client Cafe' });
  await recordPayment(h.rt.db, { tenantId: client.tenant.id, reference: 'PERM-001', amountCents: 250_000, method: 'mpesa' });
  const [c] = await rows(`select id from commissions where rep_id = $1`, [r.id]);
  commissionId = c!.id;
});
afterAll(async () => h?.close());

describe('billing.write', () => {
  it('is granted to owner and admin only', () => {
    expect(PLATFORM_ROLES.filter((role) => platformCan(role, 'billing.write'))).toEqual(['owner', 'admin']);
  });

  it('refuses support and sales reps on every billing write, and changes nothing', async () => {
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/admin/payments', { tenantId: client.tenant.id, reference: 'PERM-002', amountCents: 100_000 }],
      ['PATCH', `/api/admin/sales/reps/${rep.id}`, { firstPaymentRateBp: 9_000 }],
      ['POST', '/api/admin/commissions/approve', { ids: [commissionId] }],
      ['POST', '/api/admin/commissions/pay', { ids: [commissionId] }],
      ['POST', `/api/admin/tenants-billing/${client.tenant.id}/cancel`, undefined],
    ];
    for (const who of [support, rep])
      for (const [method, path, body] of writes) {
        const res = await call(who, method, path, body);
        expect({ who: who.user.role, path, status: res.status, code: res.body?.error?.code }).toEqual({ who: who.user.role, path, status: 403, code: 'forbidden' });
      }
    expect(await rows(`select count(*)::int as n from platform_revenue where reference = 'PERM-002'`)).toEqual([{ n: 0 }]);
    expect(await rows(`select status from commissions where id = $1`, [commissionId])).toEqual([{ status: 'pending' }]);
    expect(await rows(`select status from subscriptions where tenant_id = $1`, [client.tenant.id])).toEqual([{ status: 'active' }]);
    expect(await rows(`select count(*)::int as n from sales_rep_settings where user_id = $1 and first_payment_rate_bp = 9000`, [rep.id])).toEqual([{ n: 0 }]);
  });

  it('lets the owner approve and pay the rep’s commission', async () => {
    expect(await call(owner, 'POST', '/api/admin/commissions/approve', { ids: [commissionId] })).toEqual({ status: 200, body: { moved: [commissionId] } });
    expect(await call(owner, 'POST', '/api/admin/commissions/pay', { ids: [commissionId] })).toEqual({ status: 200, body: { moved: [commissionId] } });
  });
});

describe('owner invite tokens', () => {
  const b64 = (v: string) => Buffer.from(v).toString('base64url');
  it.each([
    ['JSON null', `${b64('null')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`],
    ['a non-UUID user', `${b64(JSON.stringify({ u: 'not-a-uuid', e: Date.now() + 60_000 }))}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`],
    ['a string expiry', `${b64(JSON.stringify({ u: '00000000-0000-4000-8000-000000000000', e: 'tomorrow' }))}.c2lnbmF0dXJl`],
    ['an array', `${b64('[1,2,3]')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`],
    ['not JSON', `${b64('{oops')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`],
    ['no signature', b64(JSON.stringify({ u: '00000000-0000-4000-8000-000000000000', e: Date.now() + 60_000 }))],
  ])('answers 400 invalid_invite for %s', async (_what, token) => {
    const res = await call(undefined, 'POST', '/api/invite/accept', { token, password: 'a-long-enough-password' });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_invite' } } });
  });
});
