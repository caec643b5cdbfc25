/**
 * Escalation triggers: the customer asks for a person (English, Swahili, Sheng), the same
 * failure repeats, the agent calls handoff_to_human, the router falls back to the offline
 * provider. Each one flags the conversation for staff (needs_human + reason, AI-owned →
 * unassigned), notifies staff on `tenant:<id>` and keeps the customer informed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { conversationOf, messagesOf, rows, staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import { detectHumanRequest, detectRepeatedFailure, HANDOFF_ACK } from '../../core/services/conversations/escalation.ts';
import { ingestInbound } from '../../core/services/conversations/ingest.ts';
import type { JobQueue } from '../../core/queue.ts';
import { handleInbound } from '../../agents/inbound-gate.ts';

let h: Harness;
let t: StaffTenant;
let n = 0;
const nextPhone = () => `+2547440000${String(++n).padStart(2, '0')}`;

beforeAll(async () => {
  h = await startHarness();
  t = await staffTenant(h);
});
afterAll(async () => {
  await t?.stop();
  await h?.close();
});
beforeEach(() => {
  for (const f of [h.gemini, h.groq, h.openai, h.twilio]) f.reset();
  t.events.length = 0;
});

async function expectFlagged(from: string, reason: RegExp | string) {
  const conv = await conversationOf(h, t.tenant.id, from);
  const row = (await h.until(async () => {
    const [c] = await rows(h, `select owner, needs_human, needs_human_reason from conversations where id = $1`, [conv.id]);
    return c?.needs_human ? c : undefined;
  }, 10_000, 'the conversation to be flagged'))!;
  expect(row.owner).toBe('unassigned');
  expect(row.needs_human_reason).toMatch(reason);
  await h.until(() => t.events.some((e) => e.type === 'needs_attention' && e.conversationId === conv.id), 5000, 'a needs_attention event');
  return conv;
}

describe('the customer asks for a person', () => {
  const cases = [
    ['en', 'Can I talk to a real person please?'],
    ['sw', 'Nataka kuongea na mtu, si mashine.'],
    ['sheng', 'Boss niongee na mse wa ukweli'],
  ] as const;
  for (const [lang, text] of cases) {
    it(`escalates on "${text}" (${lang}) without asking the AI, and acknowledges in ${lang}`, async () => {
      const from = nextPhone();
      await h.twilioSms(t, from, text);
      const conv = await expectFlagged(from, 'customer_requested_human');
      await h.twilio.waitFor(1);
      expect(h.twilio.messages[0]!.body).toBe(HANDOFF_ACK[lang]);
      expect(h.gemini.requests).toHaveLength(0);
      const msgs = (await h.until(async () => {
        const m = await messagesOf(h, conv.id);
        return m.at(-1)?.status === 'sent' ? m : undefined;
      }))!;
      expect(msgs.map((m) => [m.sender, m.status])).toEqual([['customer', 'processed'], ['system', 'sent']]);
      const audit = await rows(h, `select action, actor_type, data from audit_log where target = $1`, [`conversation:${conv.id}`]);
      expect(audit).toEqual([expect.objectContaining({ action: 'conversation.escalate', actor_type: 'system', data: expect.objectContaining({ reason: 'customer_requested_human' }) })]);
    });
  }

  it('recognises the phrasings and leaves ordinary messages alone', () => {
    for (const s of ['I want to speak with a human', 'customer care please', 'connect me to your manager', 'naomba kuzungumza na mhudumu', 'niconnect na mtu', 'sitaki bot'])
      expect(detectHumanRequest(s), s).toBeDefined();
    for (const s of ['How much is a room?', 'Bei ya chumba ni ngapi?', 'Niko na swali kuhusu parking', 'Is the person count 2 or 3?'])
      expect(detectHumanRequest(s), s).toBeUndefined();
    expect(detectRepeatedFailure([{ direction: 'inbound', sender: 'customer', text: 'hello' }])).toBe(false);
    const loop = [
      { direction: 'inbound', sender: 'customer', text: 'Where is my order?' },
      { direction: 'outbound', sender: 'ai', text: 'Could you share the order number?' },
      { direction: 'inbound', sender: 'customer', text: 'where is my order' },
      { direction: 'outbound', sender: 'ai', text: 'Sorry, which order?' },
      { direction: 'inbound', sender: 'customer', text: 'WHERE IS MY ORDER!!' },
    ];
    expect(detectRepeatedFailure(loop)).toBe(true);
    // A staff message in between resets the count (e.g. after a handback).
    expect(detectRepeatedFailure([...loop.slice(0, 4), { direction: 'outbound', sender: 'staff', text: 'Hi, Amina here' }, loop[4]!])).toBe(false);
    // Identical AI replies alone are not a failure.
    expect(detectRepeatedFailure([loop[0]!, loop[1]!, { direction: 'inbound', sender: 'customer', text: 'ok thanks' }, loop[1]!, { direction: 'inbound', sender: 'customer', text: 'and parking?' }])).toBe(false);
  });
});

describe('other triggers', () => {
  it('escalates when the customer repeats the same message a third time', async () => {
    const from = nextPhone();
    for (let i = 1; i <= 2; i++) {
      h.gemini.script({ text: `Sorry, could you rephrase? (${i})` });
      await h.twilioSms(t, from, 'WHERE IS MY ORDER');
      await h.twilio.waitFor(i);
    }
    await h.twilioSms(t, from, 'where is my order??');
    await expectFlagged(from, 'repeated_failure');
    expect(h.gemini.requests).toHaveLength(2);
    await h.twilio.waitFor(3);
    expect(h.twilio.messages[2]!.body).toBe(HANDOFF_ACK.en);
  });

  it('escalates when every provider fails and the offline fallback answers', async () => {
    h.gemini.script({ status: 500 });
    h.groq.script({ status: 500 });
    h.openai.script({ status: 500 });
    const from = nextPhone();
    await h.twilioSms(t, from, 'Do you deliver to Kisumu?');
    await expectFlagged(from, 'ai_unavailable');
    await h.twilio.waitFor(1);
    expect(h.twilio.messages[0]!.body.length).toBeGreaterThan(0);
  });

  it('escalates when the agent calls handoff_to_human', async () => {
    h.gemini.script({ toolCalls: [{ name: 'handoff_to_human', args: { reason: 'wants a refund' } }] }, { text: 'A member of our team will follow up shortly.' });
    const from = nextPhone();
    await h.twilioSms(t, from, 'I want my money back for last week');
    await expectFlagged(from, /handoff/);
    await h.twilio.waitFor(1);
    expect(h.twilio.messages[0]!.body).toBe('A member of our team will follow up shortly.');
  });
});

describe('acknowledgement after a failed enqueue', () => {
  it('stores the acknowledgement with the escalation and sends it when the inbound job is retried', async () => {
    const from = nextPhone();
    const [channel] = await rows(h, `select id from channels where tenant_id = $1 and provider = 'twilio'`, [t.tenant.id]);
    // The real queue, except that this message's own inbound job is not handed to the runtime
    // (the test runs it) and the first outbound enqueue fails like a Redis outage would.
    let failNext = true;
    const queue: JobQueue = {
      async enqueue(name, payload, opts) {
        if (name === 'inbound') return;
        if (name === 'outbound' && failNext) {
          failNext = false;
          throw new Error('queue unavailable');
        }
        await h.rt.queue.enqueue(name, payload, opts);
      },
    };
    const deps = { ...h.rt, queue };
    const { messageId } = await ingestInbound(deps, {
      tenantId: t.tenant.id, channelId: channel!.id, channel: 'sms', from, externalId: `SM-ack-${from}`, text: 'Can I speak to a human?', receivedAt: new Date(),
    });
    const job = { tenantId: t.tenant.id, messageId };

    await expect(handleInbound(deps, job)).rejects.toThrow('queue unavailable');
    const conv = await conversationOf(h, t.tenant.id, from);
    const [c] = await rows(h, `select owner, needs_human_reason from conversations where id = $1`, [conv.id]);
    expect(c).toEqual({ owner: 'unassigned', needs_human_reason: 'customer_requested_human' });
    expect((await messagesOf(h, conv.id)).map((m) => [m.sender, m.status, m.in_reply_to])).toEqual([
      ['customer', 'processed', null],
      ['system', 'queued', messageId],
    ]);
    expect(h.twilio.messages).toHaveLength(0);

    await handleInbound(deps, job); // the queue's retry of the same job
    await h.twilio.waitFor(1);
    expect(h.twilio.messages.map((m) => m.body)).toEqual([HANDOFF_ACK.en]);
    expect(h.gemini.requests).toHaveLength(0);
    const audit = await rows(h, `select action from audit_log where target = $1`, [`conversation:${conv.id}`]);
    expect(audit).toEqual([{ action: 'conversation.escalate' }]);
  });
});

describe('escalation written with an AI reply (flagForHuman)', () => {
  it('goes through the ownership service: audit entry and ownership event', async () => {
    h.gemini.script({ toolCalls: [{ name: 'handoff_to_human', args: { reason: 'complaint' } }] }, { text: 'A colleague will take over.' });
    const from = nextPhone();
    await h.twilioSms(t, from, 'This is the third time my order is late');
    const conv = await expectFlagged(from, /handoff/);
    await h.until(() => t.events.some((e) => e.type === 'ownership' && e.conversationId === conv.id && e.owner === 'unassigned'), 5000, 'an ownership event');
    const audit = await rows(h, `select action, actor_type, data from audit_log where target = $1`, [`conversation:${conv.id}`]);
    expect(audit).toEqual([expect.objectContaining({ action: 'conversation.escalate', actor_type: 'system', data: expect.objectContaining({ reason: expect.stringMatching(/handoff/) }) })]);
    const [c] = await rows(h, `select owner_version from conversations where id = $1`, [conv.id]);
    expect(c!.owner_version).toBe(1); // ai (0) → unassigned
  });
});
