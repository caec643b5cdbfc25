/**
 * Zero-setup mode (embedded PGlite + pgvector, inline queue, in-process event bus): the same
 * flows as production — a signed Twilio SMS answered via the fake Gemini, a duplicate ignored,
 * and a web-chat turn over the WebSocket answered by the fake Groq.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startHarness({ mode: 'zero' });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('zero-setup mode', () => {
  it('runs on PGlite with the inline queue', () => {
    expect(h.rt.db.kind).toBe('pglite');
    expect(h.rt.queue.kind).toBe('inline');
  });

  it('answers a Twilio SMS once, even when delivered twice', async () => {
    h.gemini.script({ text: 'Zero-setup reply from Gemini.' });
    const sid = 'SM' + 'a'.repeat(32);
    expect((await h.twilioSms(t, '+254722000001', 'Hi there', sid)).status).toBe(200);
    expect((await h.twilioSms(t, '+254722000001', 'Hi there', sid)).status).toBe(200);
    await h.twilio.waitFor(1);
    await h.settled();
    expect(h.twilio.messages.map((m) => m.body)).toEqual(['Zero-setup reply from Gemini.']);
    const [row] = await h.rt.db.query<{ n: number }>(`select count(*)::int as n from messages where tenant_id = $1`, [t.tenant.id]);
    expect(row!.n).toBe(2);
  });

  it('answers a web-chat message over the WebSocket through Groq', async () => {
    h.groq.script({ text: 'Live reply from Groq.' });
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/chat/${t.tenant.slug}/ws?visitor=visitor-zero-0001`);
    const frames: any[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    ws.send(JSON.stringify({ type: 'message', clientId: 'client-msg-0001', text: 'Are you open now?' }));
    await h.until(() => frames.find((f) => f.type === 'message'), 10_000, 'agent frame');
    expect(frames.find((f) => f.type === 'message')).toMatchObject({ role: 'agent', text: 'Live reply from Groq.' });
    ws.close();
  });
});
