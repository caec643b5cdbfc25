/**
 * Debounce (quiet gap, capped at the window): a burst of customer messages gets one AI reply
 * whose model request holds every message of the burst; redelivered duplicates add nothing; a
 * message after the reply gets its own reply; a takeover during the wait means no AI reply at
 * all; and a lone message is answered after the quiet gap, not after the tenant's window
 * (asserted on the database timestamps of the inbound message and its reply).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { conversationOf, messagesOf, staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import { takeover } from '../../core/services/conversations/ownership.ts';

/** Burst tenant: a generous gap so three sequential webhooks land inside it even on a loaded machine. */
const BURST = { debounceMs: 6000, quietGapMs: 2000 };
/** Lone-message tenant: a long window, the default quiet gap (INBOUND_QUIET_GAP_MS, 800 ms). */
const LONE_WINDOW_MS = 15_000;
const DEFAULT_GAP_MS = 800;
let h: Harness;
let t: StaffTenant;
let lone: StaffTenant;

beforeAll(async () => {
  h = await startHarness();
  t = await staffTenant(h, BURST);
  lone = await staffTenant(h, { debounceMs: LONE_WINDOW_MS });
});
afterAll(async () => {
  await t?.stop();
  await lone?.stop();
  await h?.close();
});
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
});

const settled = async (conversationId: string, inbound: number) =>
  h.until(async () => {
    const m = await messagesOf(h, conversationId);
    const ins = m.filter((x) => x.direction === 'inbound');
    return ins.length === inbound && ins.every((x) => x.status === 'processed');
  }, 15_000, `${inbound} inbound messages processed`);

describe('debounce', () => {
  it('answers three quick messages with one reply that saw all three', async () => {
    h.gemini.script({ text: 'A double room for 2 nights on Friday is KES 19,000 with breakfast.' });
    const from = '+254733000001';
    await h.twilioSms(t, from, 'Hi');
    await h.twilioSms(t, from, 'I need a double room', 'SM' + 'a'.repeat(32));
    await h.twilioSms(t, from, 'for 2 nights from Friday, with breakfast?');
    await h.twilioSms(t, from, 'I need a double room', 'SM' + 'a'.repeat(32)); // Twilio redelivery
    await h.twilio.waitFor(1, 15_000);
    const conv = await conversationOf(h, t.tenant.id, from);
    await settled(conv.id, 3);
    await h.settled(); // nothing else may follow: no waiting, delayed or running job is left
    expect(h.twilio.messages.map((m) => m.body)).toEqual(['A double room for 2 nights on Friday is KES 19,000 with breakfast.']);
    expect(h.gemini.requests).toHaveLength(1);
    const seen = JSON.stringify(h.gemini.requests[0]!.contents);
    for (const text of ['Hi', 'I need a double room', 'for 2 nights from Friday, with breakfast?']) expect(seen).toContain(text);
    const msgs = await messagesOf(h, conv.id);
    expect(msgs.filter((m) => m.direction === 'outbound')).toHaveLength(1);
    // The reply answers the newest message of the burst.
    expect(msgs.find((m) => m.direction === 'outbound')!.in_reply_to).toBe(msgs.filter((m) => m.direction === 'inbound').at(-1)!.id);

    // After the reply, the next message starts a new burst and gets its own reply.
    h.gemini.script({ text: 'Booked!' });
    await h.twilioSms(t, from, 'Great, book it');
    await h.twilio.waitFor(2, 15_000);
    expect(h.twilio.messages[1]!.body).toBe('Booked!');
    expect(h.gemini.requests).toHaveLength(2);
  });

  it('answers a lone message after the quiet gap, not after the window', async () => {
    h.gemini.script({ text: 'Yes, we are open until 10 pm.' });
    const from = '+254733000003';
    await h.twilioSms(lone, from, 'Are you open tonight?');
    await h.twilio.waitFor(1, 15_000);
    const conv = await conversationOf(h, lone.tenant.id, from);
    const msgs = await messagesOf(h, conv.id);
    const inbound = msgs.find((m) => m.direction === 'inbound')!;
    const reply = msgs.find((m) => m.direction === 'outbound')!;
    expect(reply.in_reply_to).toBe(inbound.id);
    // Database clock on both rows: the reply waited the quiet gap (a little slack for timer
    // rounding) but nowhere near the 15 s window the old debounce always waited out.
    const waitedMs = new Date(reply.created_at).getTime() - new Date(inbound.created_at).getTime();
    expect(waitedMs).toBeGreaterThanOrEqual(DEFAULT_GAP_MS - 100);
    expect(waitedMs).toBeLessThan(LONE_WINDOW_MS);
  });

  it('sends no AI reply when staff take over during the wait', async () => {
    const from = '+254733000002';
    await h.twilioSms(t, from, 'Hello?');
    const conv = await conversationOf(h, t.tenant.id, from);
    await takeover({ db: h.rt.db, bus: h.rt.bus }, t.tenant.id, conv.id, { userId: t.users.staff.id });
    await h.twilioSms(t, from, 'Anyone there?');
    await settled(conv.id, 2);
    await h.settled();
    expect(h.gemini.requests).toHaveLength(0);
    expect(h.twilio.messages).toHaveLength(0);
    expect(t.events.filter((e) => e.type === 'needs_attention' && e.conversationId === conv.id)).toHaveLength(1);
  });
});
