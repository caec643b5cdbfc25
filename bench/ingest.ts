/**
 * Ingest benchmark: signed Twilio SMS webhooks → verified, stored and enqueued (BullMQ on the
 * real Redis, real PostgreSQL), driven by autocannon, next to a baseline route in the same
 * process doing the same writes (ingestInbound with the channel already resolved, no signature
 * check, schema validation or rate limiter). Workers are off, so only the ingest path is measured.
 *
 * Run: npx tsx bench/ingest.ts [--seconds 10] [--connections 20]
 * Needs PostgreSQL (postgres://postgres@127.0.0.1:5432) and Redis (127.0.0.1:6379).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createChannel } from '../core/services/tenancy/channels.ts';
import { ingestInbound } from '../core/services/conversations/ingest.ts';
import { createTenant } from '../core/services/tenancy/tenants.ts';
import { createRuntime } from '../bin/runtime.ts';
import { signTwilioRequest } from '../test/fakes/twilio-signature.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';
import { openDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '20' } } });
const duration = Number(values.seconds);
const connections = Number(values.connections);
const PUBLIC_URL = 'https://bench.aizalo.test';
const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
const prefix = `aizalo-bench-${randomBytes(4).toString('hex')}`;

await adminQuery(`CREATE DATABASE ${dbName}`);
const mig = await openDatabase({ databaseUrl: dbUrl(dbName), dataDir: '/tmp', poolSize: 1 });
await migrate(mig);
await mig.close();

const cfg = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  PUBLIC_URL,
  DATABASE_URL: dbUrl(dbName),
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: prefix,
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  LOG_LEVEL: 'silent',
  ACTIVE_QUEUES: 'none',
  // The per-tenant webhook limit (600/min by default) would answer most of this load with 429;
  // the limiter itself (Redis store) stays on the path being measured.
  RATE_LIMIT_WEBHOOK_PER_TENANT: '100000000',
});
const rt = await createRuntime(cfg, { logger: createLogger('silent') });
const tenant = await createTenant(rt.db, { slug: 'bench', name: 'Bench', industry: 'hotels', status: 'active' });
const authToken = randomBytes(16).toString('hex');
const { channel } = await createChannel(rt.db, rt.box, {
  tenantId: tenant.id,
  type: 'sms',
  provider: 'twilio',
  address: '+15550001111',
  credentials: { accountSid: 'AC' + 'b'.repeat(32), authToken },
});
// Baseline: the same writes and enqueue, channel pre-resolved, no signature or schema checks.
rt.app!.post('/bench/baseline', async (req, reply) => {
  const body = req.body as Record<string, string>;
  await ingestInbound({ db: rt.db, queue: rt.queue }, {
    tenantId: tenant.id,
    channelId: channel.id,
    channel: 'sms',
    from: body.From!,
    externalId: body.MessageSid!,
    text: body.Body!,
    receivedAt: new Date(),
  });
  return reply.type('text/xml').send('<Response></Response>');
});
const base = (await rt.start())!;

let n = 0;
function form(signed: boolean) {
  const sid = `SM${(++n).toString(16).padStart(32, '0')}`;
  const params = { MessageSid: sid, AccountSid: 'AC' + 'b'.repeat(32), From: `+2547${String(n % 5000).padStart(8, '0')}`, To: '+15550001111', Body: `Hello ${n}` };
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signed) headers['x-twilio-signature'] = signTwilioRequest(authToken, `${PUBLIC_URL}/webhooks/twilio/sms`, params);
  return { headers, body: new URLSearchParams(params).toString() };
}

async function run(name: string, path: string, signed: boolean) {
  const result = await autocannon({
    url: base + path,
    method: 'POST',
    duration,
    connections,
    requests: [{ setupRequest: (req: any) => ({ ...req, ...form(signed) }) }],
  });
  const ok = result['2xx'];
  console.log(
    `${name.padEnd(26)} req/s ${result.requests.average.toFixed(0).padStart(6)}  p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(4)} ms  2xx ${ok}  non-2xx ${result.non2xx}`,
  );
  return result;
}

console.log(`ingest benchmark: ${duration}s per route, ${connections} connections, PostgreSQL + BullMQ (workers off)`);
await run('warm-up', '/bench/baseline', false);
const b = await run('baseline (same writes)', '/bench/baseline', false);
const w = await run('signed Twilio webhook', '/webhooks/twilio/sms', true);
console.log(`ratio webhook/baseline: throughput ${(w.requests.average / b.requests.average).toFixed(2)}x, p99 ${(w.latency.p99 / Math.max(1, b.latency.p99)).toFixed(2)}x`);
const [stored] = await rt.db.query<{ n: number }>('select count(*)::int as n from messages');
const counts = await rt.queue.counts();
console.log(`stored messages: ${stored!.n}, inbound jobs waiting: ${counts.inbound}`);

await rt.stop();
const redis = new Redis('redis://127.0.0.1:6379');
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
await adminQuery(`DROP DATABASE ${dbName} WITH (FORCE)`);
