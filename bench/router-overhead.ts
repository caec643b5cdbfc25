/**
 * Router overhead bench: the latency the LLM router adds on top of a direct SDK call to the
 * same local fake (OpenAI Chat Completions wire format), side by side in the same run with
 * the open-source Portkey gateway (`@portkey-ai/gateway`, started as a child process with
 * `--port=N --headless`, provider `openai` with `x-portkey-custom-host` = the fake).
 *
 * The fake runs in a child process (bench/router-fake-server.ts).
 * Variants run interleaved (one call of each per round, so machine noise hits all alike):
 *   direct      openai SDK → fake
 *   router      createRouter (in-process breaker, policy, metrics, pricing) → provider → openai SDK → fake
 *   router+redis  same with the Redis-shared breaker (2 EVALSHA per turn), when Redis answers
 *   portkey     openai SDK → Portkey gateway → fake
 * Printed: p50/p99 end to end (ms) per variant and minus `direct`; and for the router the
 * exact in-process overhead per call (router time − provider time, measured around the
 * provider), which is immune to the fake's and the machine's noise.
 *
 * Run: npx tsx bench/router-overhead.ts [rounds=2000]   (Redis: the tests' TEST_REDIS_URL / 127.0.0.1:6379)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { createRedisBreaker } from '../agents/llm/breaker-redis.ts';
import { REDIS_URL } from '../test/helpers/harness.ts';
import { OfflineProvider } from '../agents/llm/offline-provider.ts';
import { OpenAICompatibleProvider } from '../agents/llm/openai-compatible-provider.ts';
import { createRouter, type LlmRouter } from '../agents/llm/router.ts';
import type { GenerateRequest, LlmProvider } from '../agents/llm/types.ts';

const ROUNDS = Number(process.argv[2] ?? 2000);
const WARMUP = 200;
const PORTKEY_PORT = 18_000 + Math.floor(Math.random() * 1000);

// The fake runs in its own process (bench/router-fake-server.ts).
const fakeProc = spawn(process.execPath, ['--import', 'tsx', new URL('./router-fake-server.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const fake = {
  baseUrl: await new Promise<string>((resolve) => fakeProc.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim().split('\n')[0]!))),
  close: async () => void fakeProc.stdin!.end(),
};
const model = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'What time is check-in?' }];
const req: GenerateRequest = { system: 'You are a hotel assistant.', messages };
const wireMessages = [{ role: 'system' as const, content: req.system }, ...messages];

/** Provider wrapper that adds the time spent inside the provider to `inner`. */
let inner = 0;
function timed(p: LlmProvider): LlmProvider {
  return {
    name: p.name,
    model: p.model,
    async generate(r) {
      const t0 = performance.now();
      try {
        return await p.generate(r);
      } finally {
        inner += performance.now() - t0;
      }
    },
    stream: (r) => p.stream(r),
  };
}

const provider = timed(new OpenAICompatibleProvider({ name: 'openai', apiKey: 'k', baseUrl: fake.baseUrl, model }));
const chains = { standard: ['openai' as const, 'offline' as const], realtime: ['openai' as const, 'offline' as const] };
const router = createRouter({ providers: { openai: provider, offline: new OfflineProvider() }, chains });
const direct = new OpenAI({ apiKey: 'k', baseURL: fake.baseUrl, maxRetries: 0 });

let redis: Redis | undefined;
let redisRouter: LlmRouter | undefined;
try {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const breaker = createRedisBreaker({ redis, prefix: `aizalo-bench-${process.pid}` });
  redisRouter = createRouter({ providers: { openai: provider, offline: new OfflineProvider() }, chains, breaker });
} catch (err) {
  console.log(`router+redis skipped: ${(err as Error).message}`);
  redis?.disconnect();
  redis = undefined;
}

let portkey: ChildProcess | undefined;
let portkeyClient: OpenAI | undefined;
try {
  const entry = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  portkey = spawn(process.execPath, [entry, `--port=${PORTKEY_PORT}`, '--headless'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  portkey.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  portkeyClient = new OpenAI({
    apiKey: 'k',
    baseURL: `http://127.0.0.1:${PORTKEY_PORT}/v1`,
    maxRetries: 0,
    defaultHeaders: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': fake.baseUrl },
  });
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      await portkeyClient.chat.completions.create({ model, messages: wireMessages });
      break;
    } catch (err) {
      if (Date.now() > until || portkey.exitCode !== null) throw new Error(`Portkey did not answer: ${(err as Error).message} ${stderr.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
} catch (err) {
  console.log(`portkey skipped: ${(err as Error).message}`);
  portkey?.kill();
  portkey = undefined;
  portkeyClient = undefined;
}

type Variant = { name: string; run: () => Promise<unknown>; lat: number[] };
const variants: Variant[] = [
  { name: 'direct SDK', run: () => direct.chat.completions.create({ model, messages: wireMessages }), lat: [] },
  { name: 'router', run: () => router.generate(req, { tenantId: 'bench', class: 'standard' }), lat: [] },
];
if (redisRouter) variants.push({ name: 'router+redis', run: () => redisRouter!.generate(req, { tenantId: 'bench', class: 'standard' }), lat: [] });
if (portkeyClient) variants.push({ name: 'portkey', run: () => portkeyClient!.chat.completions.create({ model, messages: wireMessages }), lat: [] });
const ownOverhead: Record<string, number[]> = { router: [], 'router+redis': [] };

for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const v of variants) {
    inner = 0;
    const t0 = performance.now();
    await v.run();
    const ms = performance.now() - t0;
    if (round < WARMUP) continue;
    v.lat.push(ms);
    if (v.name in ownOverhead) ownOverhead[v.name]!.push(ms - inner);
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (n: number) => n.toFixed(3).padStart(8);
const base = variants[0]!;
console.log(`\nrouter overhead bench — ${ROUNDS} interleaved rounds, fake OpenAI on 127.0.0.1, Node ${process.version}`);
console.log('variant          p50 ms   p99 ms   +p50 vs direct  +p99 vs direct');
for (const v of variants)
  console.log(`${v.name.padEnd(14)}${f(pct(v.lat, 50))} ${f(pct(v.lat, 99))}   ${f(pct(v.lat, 50) - pct(base.lat, 50))}       ${f(pct(v.lat, 99) - pct(base.lat, 99))}`);
console.log('\nin-process router overhead (router time − provider time), ms:');
for (const [name, xs] of Object.entries(ownOverhead))
  if (xs.length) console.log(`${name.padEnd(14)} p50 ${f(pct(xs, 50))}  p99 ${f(pct(xs, 99))}  max ${f(pct(xs, 100))}`);
const pk = variants.find((v) => v.name === 'portkey');
if (pk) {
  const pk50 = pct(pk.lat, 50) - pct(base.lat, 50);
  const pk99 = pct(pk.lat, 99) - pct(base.lat, 99);
  const r = ownOverhead.router!;
  console.log(`\nportkey added p50 ${pk50.toFixed(3)} ms, p99 ${pk99.toFixed(3)} ms (end-to-end difference)`);
  console.log(`ratio portkey/router overhead: p50 ${(pk50 / pct(r, 50)).toFixed(1)}×, p99 ${(pk99 / pct(r, 99)).toFixed(1)}×`);
}

// The router's own code path with a provider that answers at once (no I/O, so no
// scheduler noise): the pure cost of policy + breaker + deadline + metrics + accounting.
const stubResult = { text: 'ok', toolCalls: [], usage: { inputTokens: 10, outputTokens: 2 }, model };
const stub: LlmProvider = { name: 'openai', model, generate: async () => stubResult, stream: () => { throw new Error('unused'); } };
const stubRouter = createRouter({ providers: { openai: stub, offline: new OfflineProvider() }, chains, onAttempt: () => {} });
const bare: number[] = [];
const routed: number[] = [];
for (let i = 0; i < 20_000 + 2_000; i++) {
  let t0 = performance.now();
  await stub.generate(req);
  const b = performance.now() - t0;
  t0 = performance.now();
  await stubRouter.generate(req, { tenantId: 'bench', class: i % 20 === 0 ? 'realtime' : 'standard' });
  const r = performance.now() - t0;
  if (i >= 2_000) {
    bare.push(b);
    routed.push(r - b);
  }
}
console.log(`\nrouter code path, stub provider, 20,000 calls: added p50 ${f(pct(routed, 50))} ms  p99 ${f(pct(routed, 99))} ms  p99.9 ${f(pct(routed, 99.9))} ms`);
console.log(`machine load average (1 min): ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`);

portkey?.kill();
if (redis) {
  const keys = await redis.keys(`aizalo-bench-${process.pid}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}
await fake.close();
