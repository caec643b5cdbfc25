/**
 * Drizzle table definitions mirroring migrations/0001_init.sql (the SQL is the
 * source of truth; these give typed queries). Money in KES cents, durations in ms.
 */
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  monthlyFeeCents: bigint('monthly_fee_cents', { mode: 'number' }).notNull(),
  limits: jsonb('limits').$type<Record<string, number>>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const platformUsers = pgTable('platform_users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<'owner' | 'admin' | 'sales' | 'support'>().notNull(),
  name: text('name'),
  phone: text('phone'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export interface TenantProfile {
  description?: string;
  hours?: string;
  prices?: string;
  location?: string;
  languages?: string[];
  [key: string]: unknown;
}

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  industry: text('industry').notNull(),
  planId: text('plan_id').notNull().default('starter'),
  status: text('status')
    .$type<'trial' | 'active' | 'past_due' | 'suspended' | 'canceled'>()
    .notNull()
    .default('trial'),
  profile: jsonb('profile').$type<TenantProfile>().notNull().default({}),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  assignedSalesRepId: uuid('assigned_sales_rep_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const tenantUsers = pgTable('tenant_users', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<'owner' | 'admin' | 'staff' | 'viewer'>().notNull(),
  name: text('name'),
  phone: text('phone'),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** Migration 0014: only 'active' users may sign in. */
  status: text('status').$type<TenantUserStatus>().notNull().default('active'),
  invitedAt: ts('invited_at'),
  invitedBy: uuid('invited_by'),
  acceptedAt: ts('accepted_at'),
  deactivatedAt: ts('deactivated_at'),
});

export type TenantUserStatus = 'active' | 'invited' | 'deactivated';

export type ChannelType = 'sms' | 'whatsapp' | 'webchat';
export type ChannelProvider = 'twilio' | 'africastalking' | 'baileys' | 'webchat';

export const channels = pgTable('channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id'),
  type: text('type').$type<ChannelType>().notNull(),
  provider: text('provider').$type<ChannelProvider>().notNull(),
  address: text('address').notNull(),
  credentialsEnc: text('credentials_enc'),
  webhookTokenHash: text('webhook_token_hash'),
  status: text('status').notNull().default('active'),
  /** false = disabled from the console: its webhooks answer 403 and nothing is sent (migration 0013). */
  enabled: boolean('enabled').notNull().default(true),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  handle: text('handle').notNull(),
  phone: text('phone'),
  name: text('name'),
  languagePreference: text('language_preference').$type<'en' | 'sw' | 'sheng'>().notNull().default('en'),
  profile: jsonb('profile').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
});

export type ConversationOwner = 'ai' | 'human' | 'unassigned';

export const conversations = pgTable('conversations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  channelId: uuid('channel_id').notNull(),
  status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
  owner: text('owner').$type<ConversationOwner>().notNull().default('ai'),
  assignedUserId: uuid('assigned_user_id'),
  ownerVersion: integer('owner_version').notNull().default(0),
  needsHuman: boolean('needs_human').notNull().default(false),
  needsHumanReason: text('needs_human_reason'),
  /** When the current owner took the conversation (migration 0006). */
  ownerChangedAt: ts('owner_changed_at'),
  /** Reason code of the latest escalation (migration 0011; escalation-reasons.ts). */
  escalationReason: text('escalation_reason'),
  lastMessageAt: ts('last_message_at').notNull().defaultNow(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** Inbox summary, kept by triggers with every message (migrations/0015_throughput.sql): customer messages ever… */
  inboundCount: integer('inbound_count').notNull().default(0),
  /** …and the latest non-canceled message's text and sender. */
  lastMessageText: text('last_message_text'),
  lastMessageSender: text('last_message_sender'),
});

export type MessageStatus =
  | 'received'
  | 'processed'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'canceled';

export const messages = pgTable('messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  channelId: uuid('channel_id').notNull(),
  direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
  sender: text('sender').$type<'customer' | 'ai' | 'staff' | 'system'>().notNull(),
  externalId: text('external_id'),
  inReplyTo: uuid('in_reply_to'),
  text: text('text').notNull(),
  media: jsonb('media').$type<Record<string, unknown> | null>(),
  status: text('status').$type<MessageStatus>().notNull(),
  error: text('error'),
  provider: text('provider'),
  model: text('model'),
  ownerVersion: integer('owner_version'),
  createdAt: ts('created_at').notNull().defaultNow(),
  sentAt: ts('sent_at'),
  /** Channel parts to send in order (multi-part SMS, migration 0011); null = send `text`. */
  parts: jsonb('parts').$type<string[] | null>(),
  /** Parts the provider already accepted (a retry resumes after them). */
  partsSent: integer('parts_sent').notNull().default(0),
});

export const aiUsage = pgTable('ai_usage', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull(),
  conversationId: uuid('conversation_id'),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  class: text('class').notNull().default('standard'),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  latencyMs: integer('latency_ms').notNull(),
  outcome: text('outcome').notNull(),
  fallbackDepth: integer('fallback_depth').notNull().default(0),
  costUsdMicros: bigint('cost_usd_micros', { mode: 'number' }).notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id'),
  actorType: text('actor_type').notNull(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  target: text('target'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  ip: text('ip'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
