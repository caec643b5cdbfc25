/**
 * An `inbound` job aborted mid-turn (its timeout, or the worker shutting down) stores no reply and
 * leaves the message `received`, so the queue's retry or the recovery sweep answers it once later.
 * Real PostgreSQL + Redis; workers off (ACTIVE_QUEUES=none) so only this call touches the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerInbound } from '../../agents/respond.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

let h: Harness;
let t: TestTenant;
const rows = (q: string, p: unknown[] = []) => h.rt.db.query<Record<string, any>>(q, p);

beforeAll(async () => {
  h = await startHarness({ env: { ACTIVE_QUEUES: 'none' } });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('aborted inbound turn', () => {
  it('stores no reply and leaves the message received; a later run answers it once', async () => {
    expect((await h.twilioSms(t, '+254744000001', 'Is the spa open today?')).status).toBe(200);
    const [msg] = await rows(`select id, status from messages where tenant_id = $1 and direction = 'inbound'`, [t.tenant.id]);
    expect(msg!.status).toBe('received');
    const deps = { db: h.rt.db, queue: h.rt.queue, bus: h.rt.bus, router: h.rt.router, prompts: h.rt.prompts };
    const job = { tenantId: t.tenant.id, messageId: msg!.id as string };

    h.gemini.script({ delayMs: 2000, text: 'too late' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('job timed out')), 300);
    await expect(answerInbound(deps, job, ac.signal)).rejects.toThrow();
    expect(await rows(`select * from messages where tenant_id = $1 and direction = 'outbound'`, [t.tenant.id])).toHaveLength(0);
    expect((await rows(`select status from messages where id = $1`, [msg!.id]))[0]!.status).toBe('received');

    h.gemini.script({ text: 'Yes, the spa is open until 8pm.' });
    await answerInbound(deps, job);
    const out = await rows(`select text, status from messages where tenant_id = $1 and direction = 'outbound'`, [t.tenant.id]);
    expect(out).toEqual([{ text: 'Yes, the spa is open until 8pm.', status: 'queued' }]);
    expect((await rows(`select status from messages where id = $1`, [msg!.id]))[0]!.status).toBe('processed');
  });
});
