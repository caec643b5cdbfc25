/** Drizzle definitions for migrations/0011_answer_guard.sql: answer-guard interventions. */
import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One guard or turn-limit intervention (kind: false_claim:<claim>, below_floor, side_effect_cap…). */
export const guardInterventions = pgTable('guard_interventions', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  inboundMessageId: uuid('inbound_message_id'),
  kind: text('kind').notNull(),
  detail: text('detail').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
