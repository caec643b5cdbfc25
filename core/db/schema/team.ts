/** Drizzle definitions for migrations/0014_team.sql: password reset tokens (hashed at rest). */
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const passwordResets = pgTable('password_resets', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** NULL for a platform user's reset. */
  tenantId: uuid('tenant_id'),
  userType: text('user_type').$type<'tenant' | 'platform'>().notNull(),
  /** tenant_users.id or platform_users.id, per userType. */
  userId: uuid('user_id').notNull(),
  /** Hex SHA-256 of the token; the token itself is only in the email. */
  tokenHash: text('token_hash').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  ip: text('ip'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
