/**
 * Finding 2: 650 bogus WebSocket upgrades to /chat/:slug/ws made a real visitor's connection
 * answer 429 — the upgrade was limited per tenant. Now upgrades are limited per client address,
 * and the tenant only has a ceiling on NEW visitors per minute, which returning visitors (a
 * known secret) never count against.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { chatSocket, startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;
const PER_IP = 10;
const NEW_PER_TENANT = 15;

beforeAll(async () => {
  h = await startSecurityHarness({
    RATE_LIMIT_WEBCHAT_CONNECT_PER_IP: String(PER_IP),
    RATE_LIMIT_WEBCHAT_NEW_VISITORS_PER_TENANT: String(NEW_PER_TENANT),
    // The old per-tenant upgrade bucket was this one: keep it small to show it is no longer used.
    RATE_LIMIT_WEBHOOK_PER_TENANT: '10',
  });
  t = await h.tenant();
});
afterAll(async () => h?.close());

async function openedAs(secret: string, ip: string, slug = t.tenant.slug) {
  const s = chatSocket(h, slug, secret, ip);
  const refused = await s.refused;
  if (refused) return { refused };
  await h.until(() => s.frames.some((f) => f.type === 'history') || s.ws.readyState > 1, 10_000, 'history or close');
  const history = s.frames.some((f) => f.type === 'history');
  s.ws.close();
  return { refused: undefined, history, code: history ? undefined : await s.closed };
}

describe('finding 2: bogus upgrades cannot lock a tenant’s web chat', () => {
  it('a flood of upgrades from one address is refused there (429) while a real visitor elsewhere connects', async () => {
    const real = await openedAs('real-visitor-secret-before-flood', '10.1.0.1');
    expect(real.history).toBe(true);

    const refusals: Array<number | undefined> = [];
    for (let i = 0; i < PER_IP * 3; i++) {
      const s = chatSocket(h, t.tenant.slug, `bogus-visitor-${i}-xxxxxxxxxxxx`, '203.0.113.50');
      refusals.push(await s.refused);
      s.ws.terminate();
    }
    expect(refusals.slice(0, PER_IP).every((r) => r === undefined)).toBe(true);
    expect(refusals.slice(PER_IP).every((r) => r === 429)).toBe(true);

    const after = await openedAs('real-visitor-secret-after-flood', '10.1.0.2');
    expect(after).toMatchObject({ refused: undefined, history: true });
  });

  it('new visitors past the tenant ceiling get close code 4429; a returning visitor still connects', async () => {
    const t2 = await h.tenant();
    const s = chatSocket(h, t2.tenant.slug, 'returning-visitor-secret-0001', '10.3.0.1');
    await h.until(() => s.frames.some((f) => f.type === 'history'));
    s.ws.send(JSON.stringify({ type: 'message', clientId: 'client-0001-aaaa', text: 'hello there' }));
    await h.until(async () => (await h.rt.db.query(`select 1 from messages where tenant_id = $1 and text = 'hello there'`, [t2.tenant.id])).length === 1);
    s.ws.close();
    const codes: Array<number | undefined> = [];
    for (let i = 0; i < NEW_PER_TENANT + 2; i++) codes.push((await openedAs(`brand-new-visitor-${i}-yyyyyyyy`, `10.2.0.${i + 1}`, t2.tenant.slug)).code);
    expect(codes.slice(0, NEW_PER_TENANT - 1)).toEqual(Array(NEW_PER_TENANT - 1).fill(undefined));
    expect(codes.slice(NEW_PER_TENANT - 1)).toEqual([4429, 4429, 4429]);
    // The returning visitor has a customer row: not a new visitor, never refused by the ceiling.
    const back = await openedAs('returning-visitor-secret-0001', '10.3.0.2', t2.tenant.slug);
    expect(back.history).toBe(true);
  });
});
