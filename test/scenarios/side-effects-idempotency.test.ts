/**
 * Side effects are idempotent per inbound message, and a multi-part SMS is delivered once:
 *  - a retried turn (same inbound message) asking create_booking for the same slot gets the
 *    booking the first attempt made, and the database holds one;
 *  - a tenant's `maxSideEffectsPerTurn` setting caps side-effecting calls per turn;
 *  - a 3-part SMS whose second part Twilio rejects once (503) is retried from that part: the
 *    customer gets each part exactly once, in order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResource } from '../../core/services/commerce/bookings.ts';
import { executeTool } from '../../agents/tools/index.ts';
import { AGENT_TOOLS } from '../../agents/tools/index.ts';
import type { ToolContext } from '../../agents/tools/types.ts';
import { createLocalEmbedder } from '../../agents/memory/embedder.ts';
import { customerId, nairobiLocal, rows } from '../helpers/agent-scenario.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant({ industry: 'hotels' });
  await h.rt.db.withTenant(t.tenant.id, async (tx) => {
    for (const n of [1, 2, 3]) await createResource(tx, t.tenant.id, { name: `Room ${n}`, kind: 'room', capacity: 2, slotMinutes: 60 });
  });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
});

describe('idempotent side effects', () => {
  it('a retried turn of the same inbound message books nothing new', async () => {
    h.gemini.script({ text: 'Hello!' });
    await h.twilioSms(t, '+254700140001', 'hi');
    await h.twilio.waitFor(1);
    const cust = (await customerId(h, t.tenant.id, '+254700140001'))!;
    const [m] = await rows(h, `select id, conversation_id from messages where tenant_id = $1 and direction = 'inbound' and text = 'hi'`, [t.tenant.id]);
    const ctx = (): ToolContext => ({
      db: h.rt.db,
      queue: h.rt.queue,
      embedder: createLocalEmbedder(),
      tenantId: t.tenant.id,
      tenantName: t.tenant.name,
      customerId: cust,
      conversationId: m!.conversation_id,
      inboundMessageId: m!.id,
      language: 'en',
      now: () => new Date(),
      escalate: () => undefined,
      say: () => undefined,
    });
    const call = { id: 'c1', name: 'create_booking', args: { resource: 'Room 1', start: nairobiLocal(8, 10) } };
    const first = JSON.parse((await executeTool(AGENT_TOOLS, call, ctx())).content);
    const again = JSON.parse((await executeTool(AGENT_TOOLS, call, ctx())).content);
    expect(first).toMatchObject({ ok: true, booked: true });
    expect(again).toMatchObject({ ok: true, booked: true, booking_id: first.booking_id });
    const b = await rows(h, 'select id, source_message_id from bookings where customer_id = $1', [cust]);
    expect(b).toEqual([{ id: first.booking_id, source_message_id: m!.id }]);
  });

  it("the tenant's maxSideEffectsPerTurn caps side-effecting calls per turn", async () => {
    await rows(h, `update tenants set settings = settings || '{"maxSideEffectsPerTurn": 1}' where id = $1`, [t.tenant.id]);
    h.gemini.script({ toolCalls: [1, 2, 3].map((n) => ({ name: 'create_booking', args: { resource: `Room ${n}`, start: nairobiLocal(9, 12) } })) }, { text: 'Done.' });
    await h.twilioSms(t, '+254700140002', 'three rooms');
    await h.twilio.waitFor(1, 10_000);
    const cust = await customerId(h, t.tenant.id, '+254700140002');
    expect(await rows(h, 'select 1 from bookings where customer_id = $1', [cust])).toHaveLength(1);
    expect(h.twilio.messages[0]!.body.match(/Booked:/g)).toHaveLength(1);
    await rows(h, `update tenants set settings = settings - 'maxSideEffectsPerTurn' where id = $1`, [t.tenant.id]);
  });
});

describe('multi-part SMS delivery', () => {
  it('a transient failure on part 2 resumes from part 2: each part reaches the customer once, in order', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `Line ${i} of our long and detailed answer.`).join(' ');
    h.gemini.script({ text });
    h.twilio.failNext(0, 1);
    h.twilio.failNext(503, 1);
    await h.twilioSms(t, '+254700140003', 'tell me all');
    await h.twilio.waitFor(3, 20_000);
    await h.settled();
    const bodies = h.twilio.messages.filter((m) => m.to === '+254700140003').map((m) => m.body);
    expect(bodies).toHaveLength(3);
    expect(h.twilio.attempts).toBe(4);
    expect(bodies[0]).toMatch(/^Line 0 of/);
    expect(new Set(bodies).size).toBe(3);
    expect(bodies.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    const [row] = await rows(h, `select status, parts_sent, jsonb_array_length(parts) as n from messages where tenant_id = $1 and direction = 'outbound' and text like 'Line 0%'`, [t.tenant.id]);
    expect(row).toMatchObject({ status: 'sent', parts_sent: 2, n: 3 });
  });
});
