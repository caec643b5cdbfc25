/**
 * Conversation ownership: exactly one owner at a time — `ai`, `human` (with `assigned_user_id`)
 * or `unassigned` (waiting for a person). Every change runs in one tenant transaction under the
 * conversation's row lock: owner, assignee, `owner_version + 1`, `owner_changed_at`, an
 * `audit_log` entry, and (when the AI loses the conversation) its still-queued replies are
 * canceled. The outbound worker re-checks `owner_version` at send time (claimOutbound), so an
 * AI reply generated before a takeover committed never reaches the customer.
 *
 * After commit, the change is published on `tenant:<id>` and `conversation:<id>` as
 * `{ type: 'ownership', conversationId, owner, assignedUserId, ownerVersion, needsHuman, reason }`;
 * an escalation additionally publishes `{ type: 'needs_attention', conversationId, reason }`.
 */
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { isUuid } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { EventBus } from '../../events.ts';
import type { JobQueue } from '../../queue.ts';
import { auditLog, type ConversationOwner } from '../../db/schema/index.ts';
import { reasonCode } from './escalation-reasons.ts';

/** Ownership and inbox failures (not_found, invalid_assignee, invalid_message). */
export class OwnershipError extends AppError {}

/** Who made the change: a tenant user (staff) or the system (escalation, auto-handback). */
export interface Actor {
  userId?: string | null;
  ip?: string | null;
}

export interface OwnershipState {
  conversationId: string;
  owner: ConversationOwner;
  assignedUserId: string | null;
  ownerVersion: number;
  needsHuman: boolean;
  reason: string | null;
  /** False when the call changed nothing (e.g. a second takeover by the same person). */
  changed: boolean;
}

export interface OwnershipDeps {
  db: Database;
  bus: EventBus;
  /** When given, a change to human ownership schedules the tenant's auto-handback check. */
  queue?: JobQueue;
}

interface Row {
  id: string;
  owner: ConversationOwner;
  assigned_user_id: string | null;
  owner_version: number;
  needs_human: boolean;
  needs_human_reason: string | null;
}

type Target = { owner: ConversationOwner; assignedUserId: string | null; needsHuman: boolean; reason: string | null };

/** Lock the conversation row. @throws OwnershipError 404 when it does not exist in this tenant. */
export async function lockConversation(tx: Tx, conversationId: string): Promise<Row> {
  if (!isUuid(conversationId)) throw new OwnershipError('not_found', 'conversation not found');
  const res = await tx.execute(sql`
    select id, owner, assigned_user_id, owner_version, needs_human, needs_human_reason
    from conversations where id = ${conversationId} for update`);
  const row = res.rows[0] as Row | undefined;
  if (!row) throw new OwnershipError('not_found', 'conversation not found');
  return row;
}

/**
 * Apply an ownership change inside the caller's transaction (row already locked by
 * lockConversation). Bumps owner_version only when owner or assignee changes.
 */
export async function applyOwnershipTx(
  tx: Tx,
  tenantId: string,
  row: Row,
  to: Target,
  audit: { action: string; actor: Actor; data?: Record<string, unknown> },
): Promise<OwnershipState> {
  const ownerChanged = row.owner !== to.owner || row.assigned_user_id !== to.assignedUserId;
  const changed = ownerChanged || row.needs_human !== to.needsHuman || row.needs_human_reason !== to.reason;
  const version = row.owner_version + (ownerChanged ? 1 : 0);
  if (changed) {
    await tx.execute(sql`
      update conversations set owner = ${to.owner}, assigned_user_id = ${to.assignedUserId},
        owner_version = ${version}, needs_human = ${to.needsHuman}, needs_human_reason = ${to.reason},
        owner_changed_at = case when ${ownerChanged} then now() else owner_changed_at end
      where id = ${row.id}`);
    if (row.owner === 'ai' && to.owner !== 'ai')
      await tx.execute(sql`
        update messages set status = 'canceled', error = 'conversation owner changed'
        where conversation_id = ${row.id} and sender = 'ai' and status = 'queued'`);
    await tx.insert(auditLog).values({
      tenantId,
      actorType: audit.actor.userId ? 'tenant_user' : 'system',
      actorId: audit.actor.userId ?? null,
      action: audit.action,
      target: `conversation:${row.id}`,
      data: { from: { owner: row.owner, assignedUserId: row.assigned_user_id }, to: { owner: to.owner, assignedUserId: to.assignedUserId }, ...audit.data },
      ip: audit.actor.ip ?? null,
    });
  }
  return { conversationId: row.id, ...to, ownerVersion: version, changed };
}

/** Publish an ownership change (after commit) for live views. */
export async function publishOwnership(bus: EventBus, tenantId: string, s: OwnershipState): Promise<void> {
  if (!s.changed) return;
  const event = { type: 'ownership' as const, ...s };
  await bus.publish(`tenant:${tenantId}`, event);
  await bus.publish(`conversation:${s.conversationId}`, event);
  if (s.needsHuman && s.owner !== 'human')
    await bus.publish(`tenant:${tenantId}`, { type: 'needs_attention', conversationId: s.conversationId, reason: s.reason });
}

async function change(
  deps: OwnershipDeps,
  tenantId: string,
  conversationId: string,
  fn: (tx: Tx, row: Row) => Promise<OwnershipState>,
): Promise<OwnershipState> {
  const state = await deps.db.withTenant(tenantId, async (tx) => fn(tx, await lockConversation(tx, conversationId)));
  await publishOwnership(deps.bus, tenantId, state);
  if (deps.queue) await scheduleAutoHandback({ ...deps, queue: deps.queue }, tenantId, state);
  return state;
}

/**
 * A staff member takes the conversation: owner `human`, assigned to them, escalation cleared.
 * Taking over from a colleague is allowed (audited with the previous assignee).
 * @throws OwnershipError 404 for an unknown conversation.
 */
export function takeover(deps: OwnershipDeps, tenantId: string, conversationId: string, actor: Actor & { userId: string }) {
  return change(deps, tenantId, conversationId, (tx, row) =>
    applyOwnershipTx(tx, tenantId, row, { owner: 'human', assignedUserId: actor.userId, needsHuman: false, reason: null }, { action: 'conversation.takeover', actor }),
  );
}

/**
 * Give the conversation back to the AI (which reads the staff messages before its next reply).
 * @param expectVersion when given and the owner_version differs, nothing changes (`changed: false`).
 */
export function handback(deps: OwnershipDeps, tenantId: string, conversationId: string, actor: Actor, data?: Record<string, unknown>, expectVersion?: number) {
  return change(deps, tenantId, conversationId, async (tx, row) =>
    expectVersion !== undefined && row.owner_version !== expectVersion
      ? { conversationId, owner: row.owner, assignedUserId: row.assigned_user_id, ownerVersion: row.owner_version, needsHuman: row.needs_human, reason: row.needs_human_reason, changed: false }
      : applyOwnershipTx(tx, tenantId, row, { owner: 'ai', assignedUserId: null, needsHuman: false, reason: null }, { action: 'conversation.handback', actor, data }),
  );
}

/**
 * Assign the conversation to a colleague (owner `human`). The assignee must be a non-viewer
 * user of this tenant. @throws OwnershipError 400 (unknown user or viewer), 404.
 */
export function assign(deps: OwnershipDeps, tenantId: string, conversationId: string, toUserId: string, actor: Actor) {
  return change(deps, tenantId, conversationId, async (tx, row) => {
    const user = isUuid(toUserId)
      ? ((await tx.execute(sql`select role from tenant_users where id = ${toUserId}`)).rows[0] as { role: string } | undefined)
      : undefined;
    if (!user) throw new OwnershipError('invalid_assignee', 'no such user in this business');
    if (user.role === 'viewer') throw new OwnershipError('invalid_assignee', 'a viewer cannot own conversations');
    return applyOwnershipTx(tx, tenantId, row, { owner: 'human', assignedUserId: toUserId, needsHuman: false, reason: null }, { action: 'conversation.assign', actor });
  });
}

/**
 * Escalate to staff: an AI-owned conversation becomes `unassigned`; a human-owned one keeps its
 * owner. Either way `needs_human` is set with the reason and staff are notified
 * (`needs_attention` on `tenant:<id>`). Reasons in use: customer_requested_human,
 * repeated_failure, ai_unavailable, handoff_tool, below_floor.
 */
export function escalate(deps: OwnershipDeps, tenantId: string, conversationId: string, reason: string, actor: Actor = {}) {
  return change(deps, tenantId, conversationId, (tx, row) => escalateTx(tx, tenantId, row, reason, actor));
}

/**
 * The escalation itself, inside the caller's transaction (row locked by lockConversation):
 * owner/needs_human update plus the `conversation.escalate` audit entry. The caller publishes
 * the returned state after commit (publishOwnership). Always `changed: true` so staff are
 * re-notified even when the conversation was already flagged (a new reason is worth a look).
 */
export async function escalateTx(tx: Tx, tenantId: string, row: Row, reason: string, actor: Actor = {}): Promise<OwnershipState> {
  const s = await applyOwnershipTx(
    tx,
    tenantId,
    row,
    { owner: row.owner === 'ai' ? 'unassigned' : row.owner, assignedUserId: row.assigned_user_id, needsHuman: true, reason },
    { action: 'conversation.escalate', actor, data: { reason, code: reasonCode(reason) } },
  );
  // The reason code from the one list (issue 13), next to the detail text in needs_human_reason.
  await tx.execute(sql`update conversations set escalation_reason = ${reasonCode(reason)} where id = ${row.id}`);
  return { ...s, changed: true };
}

/** Auto-handback idle window in ms from tenant settings (`autoHandbackMinutes` > 0), else undefined. */
export function autoHandbackMs(settings: Record<string, unknown> | null | undefined): number | undefined {
  const v = settings?.autoHandbackMinutes;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v * 60_000) : undefined;
}

/**
 * After a change to human ownership, schedule the `auto_handback` idle check (core/services/
 * auto-handback.ts) when the tenant has `autoHandbackMinutes`; one job per ownership version.
 */
export async function scheduleAutoHandback(deps: OwnershipDeps & { queue: JobQueue }, tenantId: string, s: OwnershipState): Promise<void> {
  if (!s.changed || s.owner !== 'human') return;
  const row = await deps.db.withTenant(tenantId, async (tx) => (await tx.execute(sql`select settings from tenants where id = ${tenantId}`)).rows[0]);
  const ms = autoHandbackMs((row as { settings?: Record<string, unknown> } | undefined)?.settings);
  if (!ms) return;
  await deps.queue.enqueue(
    'auto_handback',
    { tenantId, conversationId: s.conversationId, ownerVersion: s.ownerVersion },
    { jobId: `${s.conversationId}-ah-${s.ownerVersion}`, delayMs: ms },
  );
}
