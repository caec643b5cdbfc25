/**
 * The typed live-event bus on real Redis: an event published on one bus reaches a subscriber of
 * the same topic on another bus (another process in production) unchanged, and a payload whose
 * `type` is not in the union (a foreign publisher on the same channel) is dropped.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createRedisBus, topics, type TenantEvent } from '../../core/events.ts';
import { REDIS_URL } from '../helpers/harness.ts';

const prefix = `aizalo-test-ev-${process.pid}-${randomUUID().slice(0, 8)}`;
const a = createRedisBus(REDIS_URL, prefix);
const b = createRedisBus(REDIS_URL, prefix);
const raw = new Redis(REDIS_URL);
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  raw.disconnect();
});

it('carries union events between buses and drops foreign payloads', async () => {
  const tenantId = randomUUID();
  const got: TenantEvent[] = [];
  const off = await b.subscribe(topics.tenant(tenantId), (e) => void got.push(e));
  const progress: TenantEvent = { type: 'knowledge.progress', documentId: randomUUID(), status: 'embedding', chunksDone: 2, chunksTotal: 5 };
  await raw.publish(`${prefix}:ev:tenant:${tenantId}`, JSON.stringify({ type: 'rm -rf', x: 1 }));
  await raw.publish(`${prefix}:ev:tenant:${tenantId}`, 'not json');
  await a.publish(topics.tenant(tenantId), progress);
  await a.publish(topics.tenant(tenantId), { type: 'typing', conversationId: randomUUID(), actor: 'staff' });
  await expect.poll(() => got.length, { timeout: 5000 }).toBe(2);
  // Redis delivers in publish order on one connection: the foreign ones came first and are gone.
  expect(got[0]).toEqual(progress);
  expect(got[1]).toMatchObject({ type: 'typing', actor: 'staff' });
  await off();
});
