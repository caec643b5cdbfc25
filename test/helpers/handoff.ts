/**
 * Helpers for the handoff/inbox tests (issue 7): a tenant with staff users, its conversations
 * and messages as rows, and a recorder of live events on `tenant:<id>`.
 */
import { hashPassword } from '../../core/services/tenancy/passwords.ts';
import type { LiveEvent } from '../../core/events.ts';
import type { Harness, TestTenant } from './harness.ts';

export interface StaffTenant extends TestTenant {
  users: Record<'owner' | 'staff' | 'viewer', { id: string; email: string; password: string }>;
  events: LiveEvent[];
  stop(): Promise<void>;
}

export const PASSWORD = 'correct-horse-battery-1';

/** A tenant with an owner, a staff member and a viewer (password PASSWORD), recording tenant events. */
export async function staffTenant(h: Harness, settings?: Record<string, unknown>): Promise<StaffTenant> {
  const t = await h.tenant();
  const hash = await hashPassword(PASSWORD);
  const users = {} as StaffTenant['users'];
  for (const role of ['owner', 'staff', 'viewer'] as const) {
    const email = `${role}-${t.tenant.slug}@example.test`;
    const [row] = await h.rt.db.query<{ id: string }>(
      `insert into tenant_users (tenant_id, email, password_hash, role, name) values ($1, $2, $3, $4, $5) returning id`,
      [t.tenant.id, email, hash, role, `${role[0]!.toUpperCase()}${role.slice(1)} ${t.tenant.slug}`],
    );
    users[role] = { id: row!.id, email, password: PASSWORD };
  }
  if (settings) await h.rt.db.query(`update tenants set settings = settings || $2::jsonb where id = $1`, [t.tenant.id, JSON.stringify(settings)]);
  const events: LiveEvent[] = [];
  const stop = await h.rt.bus.subscribe(`tenant:${t.tenant.id}`, (e) => events.push(e));
  return { ...t, users, events, stop };
}

export const rows = (h: Harness, sql: string, params: unknown[] = []) => h.rt.db.query<Record<string, any>>(sql, params);

/** The open conversation of a customer handle, once it exists. */
export async function conversationOf(h: Harness, tenantId: string, handle: string): Promise<Record<string, any>> {
  return (await h.until(async () => {
    const [c] = await rows(
      h,
      `select c.* from conversations c join customers u on u.id = c.customer_id where c.tenant_id = $1 and u.handle = $2 and c.status = 'open'`,
      [tenantId, handle],
    );
    return c;
  }, 10_000, `conversation of ${handle}`))!;
}

export async function messagesOf(h: Harness, conversationId: string): Promise<Array<Record<string, any>>> {
  return rows(h, `select * from messages where conversation_id = $1 order by created_at, id`, [conversationId]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
