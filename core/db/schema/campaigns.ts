/** Drizzle definitions for migrations/0010_campaigns.sql: broadcasts and their recipients. */
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const CAMPAIGN_STATUSES = ['draft', 'sending', 'sent', 'canceled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Who a campaign goes to; both filters are optional and combine with AND. */
export interface CampaignAudience {
  /** Only customers with a message on the channel in the last N days. */
  lastActiveDays?: number;
  /** Only these customers (still restricted to customers who have a conversation on the channel). */
  customerIds?: string[];
}

export const campaigns = pgTable('campaigns', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  channelId: uuid('channel_id').notNull(),
  text: text('text').notNull(),
  contentItemId: uuid('content_item_id'),
  audience: jsonb('audience').$type<CampaignAudience>().notNull().default({}),
  status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('draft'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
  canceledAt: timestamp('canceled_at', { withTimezone: true, mode: 'date' }),
  recipientCount: integer('recipient_count').notNull().default(0),
});

export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    campaignId: uuid('campaign_id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    messageId: uuid('message_id'),
    status: text('status', { enum: ['queued', 'skipped'] }).notNull().default('queued'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.customerId] })],
);
