/**
 * Drizzle definitions for migrations/0006_handoff.sql: per-user read markers of the staff inbox.
 * (conversations.owner_changed_at is read through SQL in core/services/conversations/ownership.ts and inbox.ts.)
 */
import { integer, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';

export const conversationReads = pgTable(
  'conversation_reads',
  {
    tenantId: uuid('tenant_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    lastReadAt: timestamp('last_read_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** conversations.inbound_count when last read, set by a trigger (migrations/0015_throughput.sql). */
    readInboundCount: integer('read_inbound_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] })],
);
