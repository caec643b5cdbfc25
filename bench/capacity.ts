/**
 * Capacity benchmark, end to end in one process: signed Twilio SMS webhooks from distinct
 * customers → ingest → `inbound` (agent turn against a fake Gemini that answers after a fixed
 * delay) → `outbound` → the reply caught at a fake Twilio. Real PostgreSQL and Redis/BullMQ.
 * For each model delay (0, 500, 2000 ms by default) it prints
 *  - sustained replies/s: a burst of --messages webhooks over --tenants tenants, replies per
 *    second from the first webhook to the last reply;
 *  - overhead p50/p99 at --rate msgs/s for --seconds: webhook sent → reply at Twilio, minus the
 *    median latency of the baseline — the same model called directly through the Gemini
 *    provider (same SDK, same fake, same delay), measured in this run.
 * Debounce is off (INBOUND_DEBOUNCE_MS=0): by design it adds the quiet gap (800 ms) to a lone message.
 *
 * Run: npx tsx bench/capacity.ts [--delays 0,500,2000] [--messages 1000] [--tenants 20] [--rate 10] [--seconds 10]
 * Needs PostgreSQL (postgres://postgres@127.0.0.1:5432) and Redis (127.0.0.1:6379).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createChannel } from '../core/services/tenancy/channels.ts';
import { createTenant } from '../core/services/tenancy/tenants.ts';
import { createRuntime } from '../bin/runtime.ts';
import { GeminiProvider } from '../agents/llm/gemini-provider.ts';
import { createFakeGemini } from '../test/fakes/fake-gemini.ts';
import { createFakeTwilio } from '../test/fakes/fake-twilio.ts';
import { signTwilioRequest } from '../test/fakes/twilio-signature.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';

const { values } = parseArgs({
  options: {
    delays: { type: 'string', default: '0,500,2000' },
    messages: { type: 'string', default: '1000' },
    tenants: { type: 'string', default: '20' },
    rate: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
  },
});
const DELAYS = values.delays.split(',').map(Number);
const BURST = Number(values.messages);
const TENANTS = Number(values.tenants);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const PUBLIC_URL = 'https://bench.aizalo.test';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runDelay(delayMs: number) {
  const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
  const prefix = `aizalo-bench-${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  const gemini = await createFakeGemini({ reply: () => ({ text: 'Thanks, a room is available tonight.', delayMs }) });
  const twilio = await createFakeTwilio();
  // Reply arrival per customer number, stamped when the fake Twilio accepts it.
  const replyAt = new Map<string, number>();
  const push = twilio.messages.push.bind(twilio.messages);
  twilio.messages.push = (...items) => {
    for (const m of items) replyAt.set(m.to, performance.now());
    return push(...items);
  };
  const cfg = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    DATABASE_URL: dbUrl(dbName),
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: prefix,
    SECRET_KEY: 'bench-secret-key-0123456789abcdef',
    LOG_LEVEL: 'silent',
    GEMINI_API_KEY: 'bench-key',
    GEMINI_BASE_URL: gemini.baseUrl,
    TWILIO_API_BASE_URL: twilio.url,
    INBOUND_DEBOUNCE_MS: '0',
    LLM_ATTEMPT_TIMEOUT_MS: String(delayMs + 20_000),
    LLM_TURN_BUDGET_MS: String(delayMs + 40_000),
    RATE_LIMIT_WEBHOOK_PER_TENANT: '100000000',
  });
  const rt = await createRuntime(cfg, { logger: createLogger('silent') });
  const tenants: Array<{ number: string; sid: string; token: string }> = [];
  for (let i = 0; i < TENANTS; i++) {
    const tenant = await createTenant(rt.db, { slug: `bench-${i}`, name: `Bench ${i}`, industry: 'hotels', status: 'active' });
    const t = { number: `+1555000${String(i).padStart(4, '0')}`, sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex') };
    twilio.addAccount(t.sid, t.token);
    await createChannel(rt.db, rt.box, { tenantId: tenant.id, type: 'sms', provider: 'twilio', address: t.number, credentials: { accountSid: t.sid, authToken: t.token } });
    tenants.push(t);
  }
  const base = (await rt.start())!.replace('[::1]', '127.0.0.1');
  let n = 0;
  const sentAt = new Map<string, number>();
  const send = async () => {
    const i = ++n;
    const t = tenants[i % tenants.length]!;
    const from = `+2547${String(delayMs).padStart(4, '0')}${String(i).padStart(5, '0')}`;
    const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: t.sid, From: from, To: t.number, Body: `Is a room free tonight? (${i})`, NumMedia: '0' };
    sentAt.set(from, performance.now());
    const res = await fetch(`${base}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(t.token, `${PUBLIC_URL}/webhooks/twilio/sms`, params) },
      body: new URLSearchParams(params),
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return from;
  };
  const waitReplies = async (froms: string[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (froms.some((f) => !replyAt.has(f)) && Date.now() < deadline) await sleep(20);
  };
  try {
    // Baseline: the model called directly, same SDK and fake, RATE calls/s for SECONDS.
    const direct = new GeminiProvider({ apiKey: 'bench-key', baseUrl: gemini.baseUrl, model: cfg.gemini.model });
    const baseline: number[] = [];
    const calls: Promise<void>[] = [];
    for (let i = 0; i < RATE * SECONDS; i++) {
      calls.push(
        (async () => {
          const t0 = performance.now();
          await direct.generate({ system: 'You are a hotel assistant.', messages: [{ role: 'user', content: 'Is a room free tonight?' }] });
          baseline.push(performance.now() - t0);
        })(),
      );
      await sleep(1000 / RATE);
    }
    await Promise.all(calls);
    const baseMs = pct(baseline, 0.5);

    // Overhead at a steady RATE msgs/s.
    const steady: string[] = [];
    for (let i = 0; i < RATE * SECONDS; i++) {
      steady.push(await send());
      await sleep(1000 / RATE);
    }
    await waitReplies(steady, 60_000);
    const over = steady.filter((f) => replyAt.has(f)).map((f) => replyAt.get(f)! - sentAt.get(f)! - baseMs);
    // Where the time goes, on the database clock: inbound stored → reply stored → reply sent.
    const [stages] = await rt.db.query<{ turn: number; send: number }>(
      `select percentile_cont(0.5) within group (order by extract(epoch from (o.created_at - i.created_at)) * 1000) as turn,
              percentile_cont(0.5) within group (order by extract(epoch from (o.sent_at - o.created_at)) * 1000) as send
       from messages o join messages i on i.id = o.in_reply_to join customers c on c.id = (select customer_id from conversations where id = i.conversation_id)
       where c.handle = any($1)`,
      [steady],
    );

    // Sustained: a burst of BURST webhooks (32 senders at once), replies/s until the last reply.
    const t0 = performance.now();
    const burst: string[] = [];
    const senders = Array.from({ length: 32 }, async () => {
      while (burst.length < BURST) {
        burst.push('');
        burst[burst.length - 1] = await send();
      }
    });
    await Promise.all(senders);
    const sentMs = performance.now() - t0;
    await waitReplies(burst, 180_000);
    const got = burst.filter((f) => replyAt.has(f));
    const last = Math.max(...got.map((f) => replyAt.get(f)!));
    const perSec = got.length / ((last - t0) / 1000);
    console.log(
      `model ${String(delayMs).padStart(4)} ms | sustained ${perSec.toFixed(1).padStart(6)} replies/s (${got.length}/${BURST} replies, webhooks sent in ${(sentMs / 1000).toFixed(1)} s) | ` +
        `overhead at ${RATE}/s p50 ${pct(over, 0.5).toFixed(0)} ms p99 ${pct(over, 0.99).toFixed(0)} ms (${over.length}/${steady.length}) | ` +
        `baseline direct call p50 ${baseMs.toFixed(0)} ms p99 ${pct(baseline, 0.99).toFixed(0)} ms | e2e p50 ×${((pct(over, 0.5) + baseMs) / baseMs).toFixed(2)} baseline | ` +
        `stages p50: stored→reply stored ${Number(stages?.turn).toFixed(0)} ms, reply stored→sent ${Number(stages?.send).toFixed(0)} ms`,
    );
  } finally {
    await rt.stop();
    await Promise.all([gemini.close(), twilio.close()]);
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    const redis = new Redis('redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

console.log(`capacity bench: one process (gateway + workers), ${TENANTS} tenants, burst ${BURST} messages, steady ${RATE} msgs/s × ${SECONDS} s, INBOUND_CONCURRENCY default`);
for (const d of DELAYS) await runDelay(d);
