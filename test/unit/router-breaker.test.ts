/**
 * Circuit breaker rules, run identically against the in-process store and the Redis store
 * (real Redis, own key prefix), plus two Redis-backed routers agreeing on state.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBreaker, type BreakerOptions, type BreakerStore } from '../../agents/llm/breaker.ts';
import { createRedisBreaker } from '../../agents/llm/breaker-redis.ts';
import { createRouter } from '../../agents/llm/router.ts';
import { REDIS_URL } from '../helpers/harness.ts';
import { startRouterKit, type RouterKit } from '../helpers/router-fakes.ts';

const prefix = `aizalo-test-breaker-${process.pid}-${randomBytes(4).toString('hex')}`;
const conns: Redis[] = [];
const redis = () => {
  const r = new Redis(REDIS_URL);
  conns.push(r);
  return r;
};
let t = 1_000_000;
const now = () => t;
let seq = 0;

afterAll(async () => {
  const keys = await conns[0]!.keys(`${prefix}*`);
  if (keys.length) await conns[0]!.del(...keys);
  await Promise.all(conns.map((c) => c.quit()));
});

type Make = (o: Partial<BreakerOptions>) => BreakerStore;
const stores: Array<[string, Make]> = [
  ['memory', (o) => createMemoryBreaker({ ...o, now })],
  ['redis', (o) => createRedisBreaker({ ...o, now, redis: redis(), prefix: `${prefix}-${++seq}` })],
];

describe.each(stores)('%s breaker', (_kind, make) => {
  const opts = { failures: 3, failureRate: 0.5, minSamples: 10, windowMs: 10_000, cooldownMs: 5_000, probeLeaseMs: 2_000 };
  const fail = { ok: false, probe: false };
  const ok = { ok: true, probe: false };

  it('opens on N consecutive failures, rejects during the cool-down, admits exactly one probe, closes on its success', async () => {
    const b = make(opts);
    expect(await b.record('gemini', fail)).toBe('closed');
    expect(await b.record('gemini', fail)).toBe('closed');
    expect(await b.record('gemini', fail)).toBe('open');
    expect((await b.admit('gemini')).admission).toBe('reject');
    expect((await b.admit('groq')).admission).toBe('allow'); // per provider
    t += 5_001;
    const admissions = await Promise.all(Array.from({ length: 8 }, () => b.admit('gemini')));
    expect(admissions.filter((a) => a.admission === 'probe')).toHaveLength(1);
    expect(admissions.filter((a) => a.admission === 'reject')).toHaveLength(7);
    expect(await b.record('gemini', { ok: true, probe: true })).toBe('closed');
    expect((await b.admit('gemini')).admission).toBe('allow');
  });

  it('a failed probe re-opens for another cool-down; a lost probe frees its slot after the lease', async () => {
    const b = make(opts);
    for (let i = 0; i < 3; i++) await b.record('p', fail);
    t += 5_001;
    expect((await b.admit('p')).admission).toBe('probe');
    expect(await b.record('p', { ok: false, probe: true })).toBe('open');
    t += 4_000;
    expect((await b.admit('p')).admission).toBe('reject');
    t += 1_001;
    expect((await b.admit('p')).admission).toBe('probe'); // this probe is "lost"
    t += 1_000;
    expect((await b.admit('p')).admission).toBe('reject');
    t += 1_001;
    expect((await b.admit('p')).admission).toBe('probe');
  });

  it('opens on the failure rate over the window once it holds the minimum sample', async () => {
    const b = make({ ...opts, failures: 100 });
    for (let i = 0; i < 4; i++) {
      expect(await b.record('r', ok)).toBe('closed');
      expect(await b.record('r', fail)).toBe('closed');
    }
    expect(await b.record('r', ok)).toBe('closed'); // 9 attempts: below the sample
    expect(await b.record('r', fail)).toBe('open'); // 10 attempts, 50 % failures
  });

  it('forgets failures older than the window', async () => {
    const b = make({ ...opts, failures: 100 });
    for (let i = 0; i < 9; i++) await b.record('w', fail);
    t += 11_000;
    expect(await b.record('w', fail)).toBe('closed');
  });

  it('a Retry-After opens it for that long, even from closed', async () => {
    const b = make(opts);
    expect(await b.record('ra', { ok: false, probe: false, openForMs: 30_000 })).toBe('open');
    t += 29_000;
    expect((await b.admit('ra')).admission).toBe('reject');
    t += 1_001;
    expect((await b.admit('ra')).admission).toBe('probe');
  });
});

describe('two routers sharing Redis', () => {
  let kit: RouterKit;
  beforeAll(async () => {
    kit = await startRouterKit();
  });
  afterAll(async () => kit?.close());

  it('agree on breaker state: one opens it, the other skips Gemini without a call; one probe closes it for both', async () => {
    const shared = `${prefix}-routers`;
    const make = () =>
      createRouter({
        providers: kit.providers,
        onAttempt: kit.log,
        breaker: createRedisBreaker({ redis: redis(), prefix: shared, failures: 3, cooldownMs: 5_000, now }),
      });
    const a = make();
    const b = make();
    const req = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }] };
    const meta = { tenantId: 't', class: 'standard' as const };
    kit.gemini.setReply(() => ({ status: 500 }));
    for (let i = 0; i < 3; i++) expect((await a.generate(req, meta)).provider).toBe('groq');
    expect(kit.gemini.requests).toHaveLength(3);
    expect((await b.generate(req, meta)).provider).toBe('groq');
    expect(kit.gemini.requests).toHaveLength(3); // b never called Gemini
    expect(kit.attempts.at(-2)).toMatchObject({ provider: 'gemini', outcome: 'breaker_open' });

    kit.gemini.reset(); // Gemini recovers
    t += 5_001;
    const results = await Promise.all([a, b, a, b, a, b].map((r) => r.generate(req, meta)));
    expect(kit.gemini.requests).toHaveLength(1); // exactly one probe across both routers
    expect(results.filter((r) => r.provider === 'gemini')).toHaveLength(1);
    expect((await b.generate(req, meta)).provider).toBe('gemini');
    expect((await a.generate(req, meta)).provider).toBe('gemini');
  });
});
