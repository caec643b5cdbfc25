/**
 * Per-tenant fairness on the `inbound` queue (workers/drivers/tenant-gate.ts, real BullMQ):
 * tenant A has 1,000 turns waiting (a campaign's answers) on a slow model; tenant B's single
 * SMS, sent after all of them were queued, is still answered within a bound far below the
 * time A's backlog takes, and A never holds more than its cap of turns at once.
 *
 * Without the cap B would wait behind A's backlog in FIFO order: 1,000 turns / 20 slots ×
 * 1 s per turn ≈ 50 s. With it, A holds 5 slots and B's turn starts at once (after the
 * worker has moved A's excess back to delayed). `FAIRNESS_CAP=1000 npx vitest run` on this file
 * switches the cap off in effect and shows the test failing (B times out behind A).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { conversationOf, messagesOf } from '../helpers/handoff.ts';

const CONCURRENCY = 20;
const CAP = 5;
const MODEL_MS = 1000;
const BACKLOG = 1000;
/** B's reply must be stored within this of its inbound (DB clock); FIFO would take ~50 s. */
const BOUND_MS = 20_000;

let h: Harness;
let a: TestTenant;
let b: TestTenant;
const calls: Array<{ at: number; tenant: 'A' | 'B' }> = [];

beforeAll(async () => {
  h = await startHarness({
    env: { INBOUND_CONCURRENCY: String(CONCURRENCY), TENANT_INFLIGHT_CAP: process.env.FAIRNESS_CAP ?? String(CAP), LLM_ATTEMPT_TIMEOUT_MS: '10000' },
  });
  h.gemini.setReply((req) => {
    calls.push({ at: Date.now(), tenant: req.lastUserText.includes('campaign') ? 'A' : 'B' });
    return { text: 'Thanks, noted.', delayMs: MODEL_MS };
  });
  a = await h.tenant();
  b = await h.tenant();
});
afterAll(async () => {
  await h?.close();
});

/** 1,000 distinct customers of A with one waiting inbound message each, enqueued like ingest does. */
async function seedBacklog(t: TestTenant): Promise<string[]> {
  const [ch] = await h.rt.db.query<{ id: string }>(`select id from channels where tenant_id = $1 and provider = 'twilio'`, [t.tenant.id]);
  const rows = await h.rt.db.query<{ id: string }>(
    `with c as (
       insert into customers (tenant_id, handle, phone)
       select $1, '+25470' || lpad(g::text, 7, '0'), '+25470' || lpad(g::text, 7, '0') from generate_series(1, $3::int) g returning id),
     v as (insert into conversations (tenant_id, customer_id, channel_id) select $1, id, $2 from c returning id)
     insert into messages (tenant_id, conversation_id, channel_id, direction, sender, external_id, text, status)
     select $1, v.id, $2, 'inbound', 'customer', 'SMfair' || v.id, 'Yes to the campaign offer', 'received' from v
     returning id`,
    [t.tenant.id, ch!.id, BACKLOG],
  );
  await Promise.all(rows.map((r) => h.rt.queue.enqueue('inbound', { tenantId: t.tenant.id, messageId: r.id }, { jobId: r.id })));
  return rows.map((r) => r.id);
}

describe('per-tenant fairness', () => {
  it("answers tenant B's message while tenant A's 1,000-turn backlog drains", async () => {
    const backlog = await seedBacklog(a);
    expect(backlog).toHaveLength(BACKLOG);
    await h.until(() => calls.some((c) => c.tenant === 'A'), 30_000, "A's first turn");

    const from = '+254722000999';
    await h.twilioSms(b, from, 'Do you have a room tonight?');
    const conv = await conversationOf(h, b.tenant.id, from);
    const reply = await h.until(async () => (await messagesOf(h, conv.id)).find((m) => m.direction === 'outbound'), BOUND_MS + 30_000, "B's reply");
    const inbound = (await messagesOf(h, conv.id)).find((m) => m.direction === 'inbound')!;
    const waitedMs = new Date(reply!.created_at).getTime() - new Date(inbound.created_at).getTime();
    expect(waitedMs).toBeLessThan(BOUND_MS);

    // A is still draining: most of its backlog has not been answered yet.
    const [{ answered }] = (await h.rt.db.query<{ answered: number }>(
      `select count(*)::int as answered from messages where tenant_id = $1 and direction = 'outbound'`,
      [a.tenant.id],
    )) as [{ answered: number }];
    expect(answered).toBeLessThan(BACKLOG / 2);

    // A never had more than CAP model calls open at once: with a fixed model delay, calls that
    // overlap start less than MODEL_MS apart.
    const starts = calls.filter((c) => c.tenant === 'A').map((c) => c.at);
    let maxOpen = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while (starts[i]! - starts[j]! >= MODEL_MS * 0.9) j++;
      maxOpen = Math.max(maxOpen, i - j + 1);
    }
    expect(starts.length).toBeGreaterThan(CAP);
    expect(maxOpen).toBeLessThanOrEqual(CAP);
  }, 120_000);
});
