/**
 * Finding 7: the web-chat flood limit was per socket — five sockets with one visitor id sent 46
 * messages in 2.5 s, each a new LLM turn. Now frames are limited per visitor across all its
 * sockets (and per client address), in the shared rate-limit store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { chatSocket, startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;
const PER_VISITOR = 10;

beforeAll(async () => {
  h = await startSecurityHarness({ RATE_LIMIT_WEBCHAT_MSG_PER_VISITOR: String(PER_VISITOR), RATE_LIMIT_WEBCHAT_MSG_PER_IP: '1000' });
  t = await h.tenant();
});
afterAll(async () => h?.close());

const inbound = async () =>
  (await h.rt.db.query<{ n: number }>(`select count(*)::int n from messages where tenant_id = $1 and direction = 'inbound'`, [t.tenant.id]))[0]!.n;

describe('finding 7: one visitor cannot multiply its message budget with sockets', () => {
  it('five sockets of one visitor sending 46 frames get at most the per-visitor budget through', async () => {
    h.groq.setReply(() => ({ text: 'ok' }));
    const secret = 'one-visitor-many-sockets-secret';
    const sockets = Array.from({ length: 5 }, (_, i) => chatSocket(h, t.tenant.slug, secret, `10.7.0.${i + 1}`));
    await h.until(() => sockets.every((s) => s.frames.some((f) => f.type === 'history')), 10_000, 'five sockets ready');
    for (let i = 0; i < 46; i++)
      sockets[i % 5]!.ws.send(JSON.stringify({ type: 'message', clientId: `flood-client-${String(i).padStart(4, '0')}`, text: `message ${i}` }));
    const errors = () => sockets.flatMap((s) => s.frames).filter((f) => f.type === 'error').length;
    await h.until(() => errors() >= 46 - PER_VISITOR, 10_000, 'the refused frames answered');
    await h.settled();
    expect(await inbound()).toBe(PER_VISITOR);
    expect(errors()).toBe(46 - PER_VISITOR);
    for (const s of sockets) s.ws.close();
  });

  it('another visitor is not affected by the first one’s budget', async () => {
    const s = chatSocket(h, t.tenant.slug, 'second-visitor-own-budget-01', '10.7.0.1');
    await h.until(() => s.frames.some((f) => f.type === 'history'));
    const before = await inbound();
    s.ws.send(JSON.stringify({ type: 'message', clientId: 'second-client-0001', text: 'hi, separate budget' }));
    await h.until(async () => (await inbound()) === before + 1, 10_000, 'the second visitor’s message stored');
    s.ws.close();
  });
});
