/**
 * SQL statements per inbound turn: one signed Twilio SMS → ingest → `inbound` job (debounce
 * gate, agent turn, reply stored) → `outbound` job (send through the fake Twilio, status
 * recorded). Every statement the app's node-postgres clients send during that turn is recorded
 * by a thin wrapper around `pg.Client.prototype.query` (the queries still run on the real
 * database) and the count must not grow past MAX_STATEMENTS (README "Throughput" lists them).
 * `TURN_STATEMENTS_LOG=1` prints the statements.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

/**
 * Statements of one turn of a tenant without knowledge, BEGIN/COMMIT and the per-transaction
 * set_config included: 60 measured in 11 transactions (ingest, debounce gate, escalation check,
 * turn context, answer guard's price rules, retrieval + memory, usage record, reply store,
 * outbound channel lookup, send claim, send result; README "Throughput"). Before this issue's
 * change it was 59 without the guard's price-rule read (63 with it): the knowledge-presence check
 * now shares the memory read's transaction. Raise it only with a reason.
 */
const MAX_STATEMENTS = 60;

let h: Harness;
let t: TestTenant;
const seen: string[] = [];
let recording = false;
const original = pg.Client.prototype.query;

beforeAll(async () => {
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    if (recording) {
      const q = args[0];
      seen.push(typeof q === 'string' ? q : (q?.text ?? String(q)));
    }
    return (original as any).apply(this, args);
  };
  h = await startHarness();
  t = await h.tenant();
  // Warm up: first turn of the tenant fills caches and prepares connections.
  h.gemini.script({ text: 'Welcome!' });
  await h.twilioSms(t, '+254711000001', 'Hello');
  await h.twilio.waitFor(1, 15_000);
  await h.settled();
});
afterAll(async () => {
  pg.Client.prototype.query = original;
  await h?.close();
});

describe('statements per inbound turn', () => {
  it(`issues at most ${MAX_STATEMENTS} SQL statements from webhook to sent reply`, async () => {
    h.twilio.reset();
    h.gemini.script({ text: 'We are open 7am to 10pm.' });
    seen.length = 0;
    recording = true;
    await h.twilioSms(t, '+254711000002', 'What time do you open?');
    await h.twilio.waitFor(1, 15_000);
    // The `sent` status is recorded after the fake Twilio answered.
    await h.until(async () => (await h.rt.db.query(`select 1 from messages where tenant_id = $1 and direction = 'outbound' and status = 'sent' and text like 'We are open%'`, [t.tenant.id])).length > 0);
    await h.settled();
    recording = false;
    const statements = seen.filter((s) => !/sent' and text like 'We are open%/.test(s) && !/^select 1 from messages where tenant_id/.test(s));
    if (process.env.TURN_STATEMENTS_LOG) console.log(statements.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n'));
    expect(h.twilio.messages.map((m) => m.body)).toEqual(['We are open 7am to 10pm.']);
    expect(statements.length).toBeGreaterThan(5);
    expect(statements.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});
