/**
 * The inbox SSE stream (GET /api/tenant/events) under clients that leave at once: a client that
 * disconnects while the stream's bus subscription is still being set up must not leave the
 * subscription (or its keep-alive timer) behind. The real event bus (Redis) is wrapped to hold
 * subscriptions until every client has gone, and to count live ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { loginAs, type Session } from '../helpers/auth.ts';
import { staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import type { EventBus } from '../../core/events.ts';

let h: Harness;
let t: StaffTenant;
let staff: Session;

beforeAll(async () => {
  h = await startHarness();
  t = await staffTenant(h);
  staff = await loginAs(h, { ...t.users.staff, tenant: t.tenant.slug });
});
afterAll(async () => {
  await t?.stop();
  await h?.close();
});

/** Wrap bus.subscribe in place (the gateway holds this object): hold each call until `release`, count live subscriptions. */
function gateSubscriptions(bus: EventBus) {
  const real = bus.subscribe.bind(bus);
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const s = { waiting: 0, resolved: 0, live: 0, release: () => open(), restore: () => void (bus.subscribe = real) };
  bus.subscribe = async (topic, fn) => {
    s.waiting++;
    await gate;
    const unsubscribe = await real(topic, fn);
    s.live++;
    s.resolved++;
    return async () => {
      s.live--;
      await unsubscribe();
    };
  };
  return s;
}

const connections = () => new Promise<number>((resolve, reject) => h.rt.app!.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

describe('SSE clients that disconnect during subscribe', () => {
  it('leave no subscription behind', async () => {
    const N = 25;
    const subs = gateSubscriptions(h.rt.bus);
    try {
      const ctls = Array.from({ length: N }, () => new AbortController());
      const responses = ctls.map((ctl) => fetch(`${h.url}/api/tenant/events`, { headers: staff.headers, signal: ctl.signal }).catch(() => undefined));
      await h.until(() => subs.waiting === N, 10_000, 'every stream to start subscribing');
      const peak = await connections();
      for (const ctl of ctls) ctl.abort();
      await Promise.all(responses);
      // The server has seen every client go before any subscription resolves.
      await h.until(async () => (await connections()) <= peak - N, 10_000, 'the server to see the disconnects');
      subs.release();
      await h.until(() => subs.resolved === N && subs.live === 0, 10_000, 'late subscriptions to be dropped');
      expect(subs.live).toBe(0);
    } finally {
      subs.release();
      subs.restore();
    }
  });

  it('a stream that stays open is subscribed until the client leaves', async () => {
    const subs = gateSubscriptions(h.rt.bus);
    try {
      subs.release();
      const ctl = new AbortController();
      const res = await fetch(`${h.url}/api/tenant/events`, { headers: staff.headers, signal: ctl.signal });
      expect(res.status).toBe(200);
      await h.until(() => subs.live === 1, 5000, 'the subscription');
      ctl.abort();
      await h.until(() => subs.live === 0, 5000, 'the unsubscribe on close');
    } finally {
      subs.restore();
    }
  });
});
