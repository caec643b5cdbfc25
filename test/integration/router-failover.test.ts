/**
 * LLM failover through the full runtime (real PostgreSQL, Redis/BullMQ, Redis-shared breaker)
 * with the provider fakes: an inbound SMS always gets exactly one reply, from the next
 * provider or the offline fallback; every attempt lands in ai_usage with its cost; a 429 with
 * Retry-After makes the next turn skip Gemini without a call; /metrics and the admin usage API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_REPLY } from '../../agents/llm/offline-provider.ts';
import { signedIn } from '../helpers/auth.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let t: TestTenant;
let phone = 0;
const rows = (sql: string, params: unknown[] = []) => h.rt.db.query<Record<string, any>>(sql, params);

/** Send one SMS and wait for exactly one reply to reach the fake Twilio; returns its body. */
async function turn(text: string): Promise<string> {
  const before = h.twilio.messages.length;
  const from = `+2547100${String(++phone).padStart(5, '0')}`;
  expect((await h.twilioSms(t, from, text)).status).toBe(200);
  await h.twilio.waitFor(before + 1);
  await new Promise((r) => setTimeout(r, 150)); // a second reply would show up here
  const mine = h.twilio.messages.filter((m) => m.to === from);
  expect(mine).toHaveLength(1);
  return mine[0]!.body;
}
const usage = async () =>
  rows(`select provider, outcome, fallback_depth, class, cost_usd_micros::int as cost from ai_usage where tenant_id = $1 order by id`, [t.tenant.id]);

beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant();
});
afterAll(async () => h?.close());
beforeEach(async () => {
  h.gemini.reset();
  h.groq.reset();
  h.openai.reset();
  await rows('delete from ai_usage where tenant_id = $1', [t.tenant.id]);
});

describe('failover through the runtime', () => {
  it('Gemini 500 → one reply from Groq; both attempts in ai_usage with depth and cost', async () => {
    h.gemini.script({ status: 500 });
    h.groq.script({ text: 'Groq here: check-in is at 2 pm.', usage: { input: 1000, output: 100 } });
    expect(await turn('Check-in time?')).toBe('Groq here: check-in is at 2 pm.');
    expect(await usage()).toEqual([
      { provider: 'gemini', outcome: 'server', fallback_depth: 0, class: 'standard', cost: 0 },
      // 1000 × 0.59 $/M + 100 × 0.79 $/M = 590 + 79 µ$
      { provider: 'groq', outcome: 'ok', fallback_depth: 1, class: 'standard', cost: 669 },
    ]);
  });

  it('Gemini hanging past the attempt deadline → one reply from Groq', async () => {
    h.gemini.script({ hang: true });
    expect(await turn('Do you have parking?')).toBe('Hello from fake groq');
    expect((await usage()).map((u) => u.outcome)).toEqual(['timeout', 'ok']);
  });

  it('every provider failing → one honest offline reply', async () => {
    h.gemini.script({ malformed: true });
    h.groq.script({ cutBeforeFirstToken: true });
    h.openai.script({ status: 503 });
    expect(await turn('Hello?')).toBe(OFFLINE_REPLY);
    expect((await usage()).map((u) => [u.provider, u.fallback_depth])).toEqual([
      ['gemini', 0],
      ['groq', 1],
      ['openai', 2],
      ['offline', 3],
    ]);
  });

  it('a 429 with Retry-After: the next turn skips Gemini without a call (breaker_open), and /metrics shows it', async () => {
    h.gemini.script({ status: 429, retryAfter: 2 });
    expect(await turn('Any rooms tonight?')).toBe('Hello from fake groq');
    expect(await turn('And tomorrow?')).toBe('Hello from fake groq');
    expect(h.gemini.requests).toHaveLength(1);
    expect((await usage()).map((u) => [u.provider, u.outcome])).toEqual([
      ['gemini', 'rate_limited'],
      ['groq', 'ok'],
      ['gemini', 'breaker_open'],
      ['groq', 'ok'],
    ]);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('aizalo_llm_breaker_state{provider="gemini"} 2');
    expect(metrics).toMatch(/aizalo_llm_realtime_share \d/);
    expect(metrics).toContain('aizalo_llm_requests_total{provider="gemini",outcome="breaker_open"}');
  });
});

describe('GET /api/admin/llm-usage', () => {
  it('gives a platform owner the 24 h split per provider and per tenant', async () => {
    h.gemini.script({ text: 'Gemini answer', usage: { input: 100, output: 10 } });
    await new Promise((r) => setTimeout(r, 2_100)); // the 429's Retry-After above has passed
    expect(await turn('Price list?')).toBe('Gemini answer');
    const { headers } = await signedIn(h, { platformRole: 'owner' });
    const res = await fetch(`${h.url}/api/admin/llm-usage`, { headers });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.byProvider.gemini).toMatchObject({ attempts: expect.any(Number), ok: expect.any(Number) });
    expect(body.byProvider.gemini.ok).toBeGreaterThanOrEqual(1);
    const mine = body.byTenant.find((x: { tenantId: string }) => x.tenantId === t.tenant.id);
    expect(mine).toMatchObject({ slug: t.tenant.slug, attempts: 1, ok: 1, costUsdMicros: 55 });
    expect(mine.byProvider.gemini).toMatchObject({ ok: 1, replyShare: 1, inputTokens: 100, outputTokens: 10 });
  });

  it('401 signed out, 403 for platform support and for tenant users, 400 on bad hours', async () => {
    expect((await fetch(`${h.url}/api/admin/llm-usage`)).status).toBe(401);
    const support = await signedIn(h, { platformRole: 'support' });
    expect((await fetch(`${h.url}/api/admin/llm-usage`, { headers: support.headers })).status).toBe(403);
    const staff = await signedIn(h, { tenantId: t.tenant.id, role: 'owner' });
    expect((await fetch(`${h.url}/api/admin/llm-usage`, { headers: staff.headers })).status).toBe(403);
    const admin = await signedIn(h, { platformRole: 'admin' });
    const bad = await fetch(`${h.url}/api/admin/llm-usage?hours=0`, { headers: admin.headers });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBeTruthy();
  });
});
