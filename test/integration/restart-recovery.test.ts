/**
 * Zero-setup restart: the inline queue lives in memory, so a message stored just before a stop
 * must still be answered after the next start (startup recovery re-enqueues `received` inbound
 * messages; jobId = message id keeps it to one reply).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness } from '../helpers/harness.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'aizalo-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('restart recovery (zero setup)', () => {
  it('answers a message that was stored but not processed before the restart', { timeout: 120_000 }, async () => {
    // First life: workers consume nothing, so the inbound job only exists in memory.
    const first = await startHarness({ mode: 'zero', dataDir, env: { ACTIVE_QUEUES: 'none' } });
    const t = await first.tenant({ slug: 'restart-lodge' });
    expect((await first.twilioSms(t, '+254733000001', 'Are you there?', 'SM' + 'f'.repeat(32))).status).toBe(200);
    const [pending] = await first.rt.db.query<{ status: string }>(`select status from messages where direction = 'inbound'`);
    expect(pending!.status).toBe('received');
    await first.close();

    // Second life on the same data: recovery re-enqueues it and the reply goes out once.
    const second = await startHarness({ mode: 'zero', dataDir });
    try {
      second.twilio.addAccount(t.twilioSid, t.twilioToken);
      second.gemini.setReply(() => ({ text: 'Yes, we are here. How can we help?' }));
      await second.twilio.waitFor(1, 10_000);
      expect(second.twilio.messages[0]).toMatchObject({ to: '+254733000001', body: 'Yes, we are here. How can we help?' });
      await second.settled();
      expect(second.twilio.messages).toHaveLength(1);
      const rows = await second.rt.db.query<{ direction: string; status: string }>(`select direction, status from messages order by created_at`);
      expect(rows).toEqual([
        { direction: 'inbound', status: 'processed' },
        { direction: 'outbound', status: 'sent' },
      ]);
    } finally {
      await second.close();
    }
  });
});
