/**
 * One owner per conversation, on real PostgreSQL + Redis/BullMQ with the fake Gemini and Twilio:
 * a takeover committed while the AI is generating stops that reply at send time; messages during
 * human ownership get no AI reply (staff are notified instead); handback lets the AI answer the
 * next message having read what the staff member wrote; every change is audited and versioned.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { conversationOf, messagesOf, rows, sleep, staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import { assign, handback, takeover, OwnershipError } from '../../core/services/conversations/ownership.ts';
import { sendStaffMessage } from '../../core/services/conversations/staff-messages.ts';
import { autoHandbackIfIdle } from '../../core/services/conversations/auto-handback.ts';

let h: Harness;
let t: StaffTenant;
const deps = () => ({ db: h.rt.db, bus: h.rt.bus, queue: h.rt.queue });

beforeAll(async () => {
  h = await startHarness();
  t = await staffTenant(h);
});
afterAll(async () => {
  await t?.stop();
  await h?.close();
});
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
  t.events.length = 0;
});

describe('takeover', () => {
  it('stops an AI reply that was being generated when the takeover committed: the customer never receives it', async () => {
    h.gemini.script({ delayMs: 1500, text: 'AI reply that must never be sent' });
    await h.twilioSms(t, '+254711000001', 'Do you have parking?');
    await h.gemini.waitFor(1); // the model is generating now
    const conv = await conversationOf(h, t.tenant.id, '+254711000001');
    const state = await takeover(deps(), t.tenant.id, conv.id, { userId: t.users.staff.id });
    expect(state).toMatchObject({ owner: 'human', assignedUserId: t.users.staff.id, ownerVersion: conv.owner_version + 1, changed: true });
    const ai = (await h.until(async () => {
      const m = (await messagesOf(h, conv.id)).find((x) => x.sender === 'ai');
      return m && ['canceled', 'sent', 'failed'].includes(m.status) ? m : undefined;
    }, 10_000, 'the AI reply to be settled'))!;
    expect(ai.status).toBe('canceled');
    expect(ai.owner_version).toBe(conv.owner_version);
    expect(h.twilio.messages).toHaveLength(0);
    // The staff member's reply still goes out.
    await sendStaffMessage(deps(), t.tenant.id, conv.id, { userId: t.users.staff.id }, 'Hi, Wanjiku here. Yes, free parking.');
    await h.twilio.waitFor(1);
    expect(h.twilio.messages.map((m) => m.body)).toEqual(['Hi, Wanjiku here. Yes, free parking.']);
    const audit = await rows(h, `select action, actor_type, actor_id, data from audit_log where target = $1`, [`conversation:${conv.id}`]);
    expect(audit).toEqual([expect.objectContaining({ action: 'conversation.takeover', actor_type: 'tenant_user', actor_id: t.users.staff.id })]);
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'ownership', conversationId: conv.id, owner: 'human' }));
  });

  it('gives no AI reply to messages while a human owns the conversation, and notifies staff', async () => {
    h.gemini.script({ text: 'first AI answer' });
    await h.twilioSms(t, '+254711000002', 'Hello');
    await h.twilio.waitFor(1);
    const conv = await conversationOf(h, t.tenant.id, '+254711000002');
    await takeover(deps(), t.tenant.id, conv.id, { userId: t.users.owner.id });
    h.gemini.reset();
    await h.twilioSms(t, '+254711000002', 'Are you still there?');
    await h.until(async () => (await messagesOf(h, conv.id)).some((m) => m.text === 'Are you still there?' && m.status === 'processed'));
    await h.until(() => t.events.some((e) => e.type === 'needs_attention' && e.conversationId === conv.id));
    expect(h.gemini.requests).toHaveLength(0);
    expect(h.twilio.messages).toHaveLength(1);
    // A second takeover by the same person changes nothing.
    const again = await takeover(deps(), t.tenant.id, conv.id, { userId: t.users.owner.id });
    expect(again.changed).toBe(false);
  });
});

describe('handback', () => {
  it('returns the conversation to the AI, which answers the next message having read the staff messages', async () => {
    h.gemini.script({ text: 'AI: how can I help?' });
    await h.twilioSms(t, '+254711000003', 'I want a room for Friday');
    await h.twilio.waitFor(1);
    const conv = await conversationOf(h, t.tenant.id, '+254711000003');
    await takeover(deps(), t.tenant.id, conv.id, { userId: t.users.staff.id });
    await sendStaffMessage(deps(), t.tenant.id, conv.id, { userId: t.users.staff.id }, 'Friday is booked, but Saturday has a deluxe room at KES 12,000.');
    await h.twilio.waitFor(2);
    const back = await handback(deps(), t.tenant.id, conv.id, { userId: t.users.staff.id });
    expect(back).toMatchObject({ owner: 'ai', assignedUserId: null, ownerVersion: conv.owner_version + 2 });
    h.gemini.reset();
    h.gemini.script({ text: 'Great, I have noted Saturday in the deluxe room.' });
    await h.twilioSms(t, '+254711000003', 'Saturday works');
    await h.twilio.waitFor(3);
    expect(h.twilio.messages[2]!.body).toBe('Great, I have noted Saturday in the deluxe room.');
    const seen = JSON.stringify(h.gemini.requests[0]!.contents);
    expect(seen).toContain('Saturday has a deluxe room at KES 12,000');
    expect(h.gemini.requests[0]!.lastUserText).toContain('Saturday works');
    const actions = (await rows(h, `select action from audit_log where target = $1 order by id`, [`conversation:${conv.id}`])).map((r) => r.action);
    expect(actions).toEqual(['conversation.takeover', 'conversation.handback']);
  });
});

describe('assign', () => {
  it('assigns to a colleague, refuses a viewer, an unknown user and a conversation of another tenant', async () => {
    await h.twilioSms(t, '+254711000004', 'Hi');
    await h.twilio.waitFor(1);
    const conv = await conversationOf(h, t.tenant.id, '+254711000004');
    const s = await assign(deps(), t.tenant.id, conv.id, t.users.staff.id, { userId: t.users.owner.id });
    expect(s).toMatchObject({ owner: 'human', assignedUserId: t.users.staff.id });
    await expect(assign(deps(), t.tenant.id, conv.id, t.users.viewer.id, { userId: t.users.owner.id })).rejects.toMatchObject({ statusCode: 400 });
    await expect(assign(deps(), t.tenant.id, conv.id, '00000000-0000-4000-8000-000000000000', {})).rejects.toBeInstanceOf(OwnershipError);
    const other = await staffTenant(h);
    await expect(takeover(deps(), other.tenant.id, conv.id, { userId: other.users.staff.id })).rejects.toMatchObject({ statusCode: 404 });
    // Another tenant's user cannot be assigned here either (RLS hides them).
    await expect(assign(deps(), t.tenant.id, conv.id, other.users.staff.id, {})).rejects.toMatchObject({ statusCode: 400 });
    await other.stop();
    await sleep(0);
  });
});

describe('auto-handback', () => {
  it('gives an idle conversation back to the AI after the tenant\'s idle time, counting staff activity', async () => {
    const a = await staffTenant(h, { autoHandbackMinutes: 0.01 }); // 600 ms
    try {
      h.gemini.script({ text: 'Hello!' });
      await h.twilioSms(a, '+254711000009', 'Hi');
      await h.twilio.waitFor(1);
      const conv = await conversationOf(h, a.tenant.id, '+254711000009');
      const s = await takeover(deps(), a.tenant.id, conv.id, { userId: a.users.staff.id });
      await sendStaffMessage(deps(), a.tenant.id, conv.id, { userId: a.users.staff.id }, 'Checking that for you.');
      // An older ownership version never hands back.
      expect(await autoHandbackIfIdle(deps(), { tenantId: a.tenant.id, conversationId: conv.id, ownerVersion: s.ownerVersion - 1 })).toBe('stale');
      const back = (await h.until(async () => {
        const [r] = await rows(h, `select data, actor_type from audit_log where target = $1 and action = 'conversation.handback'`, [`conversation:${conv.id}`]);
        return r;
      }, 10_000, 'the auto-handback'))!;
      expect(back.actor_type).toBe('system');
      expect(back.data).toMatchObject({ auto: true });
      expect(back.data.idleMs).toBeGreaterThanOrEqual(550);
      expect((await rows(h, `select owner from conversations where id = $1`, [conv.id]))[0]!.owner).toBe('ai');
      h.gemini.script({ text: 'Back to the AI.' });
      await h.twilioSms(a, '+254711000009', 'Hello again');
      await h.until(() => h.twilio.messages.some((m) => m.body === 'Back to the AI.'));
    } finally {
      await a.stop();
    }
  });
});
