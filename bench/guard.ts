/**
 * Answer guard bench: the latency the guard adds per reply (claims + amounts + platform format
 * + script check, then the channel renderer), next to the tool loop's own time in the same run.
 *
 * Variants, interleaved per round so machine noise hits all alike:
 *   guard          checkReply + renderForChannel('sms') on one reply of the labelled corpus
 *                  (test/unit/fixtures/guard-corpus.ts, honest and violating, en/sw/sheng)
 *   guard-20k      the same on a 20,000-character markdown reply (worst case: SMS split)
 *   loop           runToolLoop for one turn: an in-process scripted router (no network: the
 *                  model's own latency is excluded) calling create_booking (stub tool, async)
 *                  then answering; includes the guard once and the ToolGate
 * Printed: p50 / p99 (ms) per variant and the guard's share of the loop. The corrective retry
 * (a second model call) is not included: it costs one model call, not guard time.
 *
 * Run: npx tsx bench/guard.ts [rounds=5000]
 */
import { cpus, loadavg } from 'node:os';
import { Type } from '@sinclair/typebox';
import { checkReply } from '../agents/guard/check-reply.ts';
import type { LlmRouter, RoutedResult } from '../agents/llm/router.ts';
import { renderForChannel } from '../agents/render/index.ts';
import { runToolLoop } from '../agents/runtime/tool-loop.ts';
import { defineTool, type ToolContext } from '../agents/tools/types.ts';
import { HONEST, PRICES, VIOLATING } from '../test/unit/fixtures/guard-corpus.ts';

const ROUNDS = Number(process.argv[2] ?? 5000);
const WARMUP = 500;
const replies = [...HONEST.map((h) => h.text), ...VIOLATING.map((v) => v.text)];
const huge = Array.from({ length: 350 }, (_, i) => `**Fact ${i}:** our hotel has _many_ great rooms, see https://evil.example/${i}.`).join(' ');
const links = { hosts: ['hotel.test', 'aizalo.test'] };
const record = [{ name: 'create_booking', args: {}, ok: true, result: { ok: true, booked: true, booking_id: 'b1' } }];

function guardOnce(text: string) {
  const v = checkReply(text, { records: record, prices: PRICES, platformLines: ['Booked: Room 1, Fri 21 Nov 10:00–11:00. Ref ABCD1234.'] });
  return renderForChannel('sms', text, { links, lang: 'en' }).text.length + v.length;
}

const bookTool = defineTool({
  name: 'create_booking',
  description: 'stub',
  schema: Type.Object({ resource: Type.String(), start: Type.String() }, { additionalProperties: false }),
  run: async (_a, ctx) => {
    ctx.say('Booked: Room 1, Fri 21 Nov 10:00–11:00. Ref ABCD1234.', 'append');
    return { booked: true, booking_id: 'abcd1234-0000', resource: 'Room 1', local: 'Fri 21 Nov 10:00–11:00' };
  },
});

function scriptedRouter(text: string): LlmRouter {
  let step = 0;
  const base = { usage: { inputTokens: 10, outputTokens: 10 }, model: 'stub', provider: 'gemini' as const, offline: false, fallbackDepth: 0 };
  return {
    generate: async (): Promise<RoutedResult> =>
      step++ === 0 ? { ...base, text: '', toolCalls: [{ id: 'c1', name: 'create_booking', args: { resource: 'Room 1', start: '2026-11-21T10:00' } }] } : { ...base, text, toolCalls: [] },
  } as unknown as LlmRouter;
}

const binding = {
  db: undefined as unknown as ToolContext['db'],
  queue: undefined as unknown as ToolContext['queue'],
  embedder: undefined as unknown as ToolContext['embedder'],
  tenantId: 't',
  tenantName: 'Bench Hotel',
  customerId: 'c',
  conversationId: 'v',
  inboundMessageId: 'm',
  language: 'en',
  now: () => new Date(),
};

async function loopOnce(text: string) {
  const r = await runToolLoop(scriptedRouter(text), { system: 's', messages: [{ role: 'user', content: 'book' }] }, { tenantId: 't', conversationId: 'v', class: 'standard' }, [bookTool], binding, {
    maxSteps: 6,
    deadlineMs: 60_000,
    prices: PRICES,
  });
  return r.text.length;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const times: Record<string, number[]> = { guard: [], 'guard-20k': [], loop: [] };
let sink = 0;
for (let i = 0; i < ROUNDS + WARMUP; i++) {
  const text = replies[i % replies.length]!;
  let t0 = performance.now();
  sink += guardOnce(text);
  const g = performance.now() - t0;
  t0 = performance.now();
  sink += guardOnce(huge);
  const g20 = performance.now() - t0;
  t0 = performance.now();
  sink += await loopOnce(text);
  const l = performance.now() - t0;
  if (i >= WARMUP) {
    times.guard!.push(g);
    times['guard-20k']!.push(g20);
    times.loop!.push(l);
  }
}

console.log(`answer guard bench: ${ROUNDS} rounds (+${WARMUP} warm-up), ${replies.length} corpus replies, node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
console.log('variant      p50 ms    p99 ms');
for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(11)} ${pct(v, 50).toFixed(3).padStart(7)}  ${pct(v, 99).toFixed(3).padStart(8)}`);
console.log(`guard / loop (p50): ${(pct(times.guard!, 50) / pct(times.loop!, 50)).toFixed(2)}  — p99 goal < 2 ms: ${pct(times.guard!, 99) < 2 ? 'met' : 'NOT met'} (sink ${sink % 7})`);
