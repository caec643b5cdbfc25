/**
 * Debounce: a burst of customer messages inside the tenant's window (tenants.settings.debounceMs)
 * gets one AI reply whose model request holds every message of the burst; redelivered
 * duplicates add nothing; a message after the window gets its own reply; a takeover during the
 * window means no AI reply at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { conversationOf, messagesOf, sleep, staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import { takeover } from '../../core/services/conversations/ownership.ts';

const WINDOW_MS = 700;
let h: Harness;
let t: StaffTenant;

beforeAll(async () => {
  h = await startHarness();
  t = await staffTenant(h, { debounceMs: WINDOW_MS });
});
afterAll(async () => {
  await t?.stop();
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
  }, 10_000, `${inbound} inbound messages processed`);

describe('debounce', () => {
  it('answers three quick messages with one reply that saw all three', async () => {
    h.gemini.script({ text: 'A double room for 2 nights on Friday is KES 19,000 with breakfast.' });
    const from = '+254733000001';
    await h.twilioSms(t, from, 'Hi');
    await h.twilioSms(t, from, 'I need a double room', 'SM' + 'a'.repeat(32));
    await h.twilioSms(t, from, 'for 2 nights from Friday, with breakfast?');
    await h.twilioSms(t, from, 'I need a double room', 'SM' + 'a'.repeat(32)); // Twilio redelivery
    await h.twilio.waitFor(1);
    const conv = await conversationOf(h, t.tenant.id, from);
    await settled(conv.id, 3);
    await sleep(WINDOW_MS + 300); // nothing else may follow
    expect(h.twilio.messages.map((m) => m.body)).toEqual(['A double room for 2 nights on Friday is KES 19,000 with breakfast.']);
    expect(h.gemini.requests).toHaveLength(1);
    const seen = JSON.stringify(h.gemini.requests[0]!.contents);
    for (const text of ['Hi', 'I need a double room', 'for 2 nights from Friday, with breakfast?']) expect(seen).toContain(text);
    const msgs = await messagesOf(h, conv.id);
    expect(msgs.filter((m) => m.direction === 'outbound')).toHaveLength(1);
    // The reply answers the newest message of the burst.
    expect(msgs.find((m) => m.direction === 'outbound')!.in_reply_to).toBe(msgs.filter((m) => m.direction === 'inbound').at(-1)!.id);

    // After the window, the next message gets its own reply.
    h.gemini.script({ text: 'Booked!' });
    await h.twilioSms(t, from, 'Great, book it');
    await h.twilio.waitFor(2);
    expect(h.twilio.messages[1]!.body).toBe('Booked!');
    expect(h.gemini.requests).toHaveLength(2);
  });

  it('sends no AI reply when staff take over during the window', async () => {
    const from = '+254733000002';
    await h.twilioSms(t, from, 'Hello?');
    const conv = await conversationOf(h, t.tenant.id, from);
    await takeover({ db: h.rt.db, bus: h.rt.bus }, t.tenant.id, conv.id, { userId: t.users.staff.id });
    await h.twilioSms(t, from, 'Anyone there?');
    await settled(conv.id, 2);
    await sleep(300);
    expect(h.gemini.requests).toHaveLength(0);
    expect(h.twilio.messages).toHaveLength(0);
    expect(t.events.filter((e) => e.type === 'needs_attention' && e.conversationId === conv.id)).toHaveLength(1);
  });
});
