/**
 * The recovery sweep's database side on the real PostgreSQL: unfinished work is found, stale
 * `sending` and day-old `queued` outbound messages are settled as failed, fresh work is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OwnerDatabase } from '../../core/db/client.ts';
import { failStaleSending, findPendingWork } from '../../core/services/conversations/recovery.ts';
import { createTestDatabase } from '../helpers/pg.ts';

let db: OwnerDatabase;
let drop: () => Promise<void>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = await openDatabase({ databaseUrl: t.url, dataDir: '/tmp', poolSize: 2 });
  const [tenant] = await db.query<{ id: string }>(`insert into tenants (slug, name, industry) values ('sweep', 'Sweep', 'hotels') returning id`);
  const tid = tenant!.id;
  const [ch] = await db.query<{ id: string }>(`insert into channels (tenant_id, type, provider, address) values ($1, 'webchat', 'webchat', 'sweep') returning id`, [tid]);
  const [cu] = await db.query<{ id: string }>(`insert into customers (tenant_id, handle) values ($1, 'web:v1') returning id`, [tid]);
  const [cv] = await db.query<{ id: string }>(`insert into conversations (tenant_id, customer_id, channel_id) values ($1, $2, $3) returning id`, [tid, cu!.id, ch!.id]);
  const add = async (key: string, direction: string, status: string, age: string) => {
    const [m] = await db.query<{ id: string }>(
      `insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, now() - $8::interval) returning id`,
      [tid, cv!.id, ch!.id, direction, direction === 'inbound' ? 'customer' : 'ai', key, status, age],
    );
    ids[key] = m!.id;
  };
  await add('inbound-received-old', 'inbound', 'received', '10 minutes');
  await add('inbound-received-new', 'inbound', 'received', '1 second');
  await add('outbound-queued-old', 'outbound', 'queued', '10 minutes');
  await add('outbound-queued-2d', 'outbound', 'queued', '2 days');
  await add('outbound-sending-1h', 'outbound', 'sending', '1 hour');
  await add('outbound-sending-new', 'outbound', 'sending', '1 minute');
});
afterAll(async () => {
  await db?.close();
  await drop?.();
});

describe('recovery sweep', () => {
  it('settles stale sending and day-old queued messages as failed, leaving fresh work alone', async () => {
    expect(await failStaleSending(db)).toBe(2);
    const rows = await db.query<{ text: string; status: string; error: string | null }>(`select text, status, error from messages order by text`);
    const by = Object.fromEntries(rows.map((r) => [r.text, r]));
    expect(by['outbound-queued-2d']).toMatchObject({ status: 'failed', error: expect.stringMatching(/^expired/) });
    expect(by['outbound-sending-1h']).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
    expect(by['outbound-sending-new']!.status).toBe('sending');
    expect(by['outbound-queued-old']!.status).toBe('queued');
  });

  it('finds unfinished inbound and outbound work older than the threshold', async () => {
    const pending = await findPendingWork(db, 60_000);
    expect(pending.inbound.map((p) => p.messageId)).toEqual([ids['inbound-received-old']]);
    expect(pending.outbound.map((p) => p.messageId)).toEqual([ids['outbound-queued-old']]);
    const all = await findPendingWork(db, 0);
    expect(all.inbound).toHaveLength(2);
  });
});
