/**
 * Drizzle tables for the agents area, mirroring migrations/0004_agents.sql (the SQL is the
 * source of truth). Money in KES cents. `bookings.during` (tstzrange, a custom type holding the
 * range literal) and the vector columns are read and written with SQL fragments in the services.
 * test/integration/migrations.test.ts checks these tables against the migrated database.
 */
import { bigint, boolean, customType, integer, jsonb, numeric, pgTable, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';

/** PostgreSQL tstzrange, as its text literal (e.g. `["2026-01-01 10:00+00","2026-01-01 11:00+00")`). */
const tstzrange = customType<{ data: string; driverData: string }>({ dataType: () => 'tstzrange' });

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** weekday (mon..sun) → [open "HH:MM", close "HH:MM"] in the resource's timezone. */
export type OpeningHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', [string, string]>>;

export const resources = pgTable('resources', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  kind: text('kind').notNull().default('other'),
  capacity: integer('capacity').notNull().default(1),
  slotMinutes: integer('slot_minutes').notNull().default(60),
  openingHours: jsonb('opening_hours').$type<OpeningHours>().notNull().default({}),
  timezone: text('timezone').notNull().default('Africa/Nairobi'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const bookings = pgTable('bookings', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  resourceId: uuid('resource_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  conversationId: uuid('conversation_id'),
  during: tstzrange('during').notNull(),
  partySize: integer('party_size').notNull().default(1),
  status: text('status').$type<'confirmed' | 'canceled'>().notNull().default('confirmed'),
  notes: text('notes'),
  createdAt: ts('created_at').notNull().defaultNow(),
  canceledAt: ts('canceled_at'),
  /** The inbound message whose turn made it (idempotent per message, migration 0011). */
  sourceMessageId: uuid('source_message_id'),
});

export const LEAD_STAGES = ['new', 'contacted', 'qualified', 'negotiating', 'won', 'lost'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

export const leads = pgTable('leads', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  conversationId: uuid('conversation_id'),
  stage: text('stage').$type<LeadStage>().notNull().default('new'),
  score: integer('score').notNull().default(0),
  valueCents: bigint('value_cents', { mode: 'number' }),
  interest: text('interest'),
  notes: text('notes'),
  followUpAt: ts('follow_up_at'),
  followUpMessage: text('follow_up_message'),
  followedUpAt: ts('followed_up_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const priceRules = pgTable('price_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  product: text('product').notNull(),
  listCents: bigint('list_cents', { mode: 'number' }).notNull(),
  floorCents: bigint('floor_cents', { mode: 'number' }).notNull(),
  maxDiscountPct: numeric('max_discount_pct', { precision: 5, scale: 2, mode: 'number' }).notNull().default(0),
  maxRounds: integer('max_rounds').notNull().default(3),
  stepCents: bigint('step_cents', { mode: 'number' }).notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export type OfferDecision = 'accept' | 'counter' | 'final' | 'handoff';

export const priceOffers = pgTable('price_offers', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull(),
  ruleId: uuid('rule_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  conversationId: uuid('conversation_id'),
  round: integer('round').notNull(),
  customerAskCents: bigint('customer_ask_cents', { mode: 'number' }),
  modelProposalCents: bigint('model_proposal_cents', { mode: 'number' }),
  offeredCents: bigint('offered_cents', { mode: 'number' }),
  decision: text('decision').$type<OfferDecision>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** The inbound message this round answers: one round per customer message (migration 0011). */
  sourceMessageId: uuid('source_message_id'),
});

export const kbDocuments = pgTable('kb_documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  title: text('title').notNull(),
  format: text('format').$type<'text' | 'markdown' | 'faq'>().notNull(),
  body: text('body').notNull(),
  status: text('status').$type<'pending' | 'ready' | 'failed'>().notNull().default('pending'),
  chunkCount: integer('chunk_count').notNull().default(0),
  error: text('error'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const kbChunks = pgTable('kb_chunks', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull(),
  documentId: uuid('document_id').notNull(),
  ord: integer('ord').notNull(),
  content: text('content').notNull(),
  embedding: vector('embedding', { dimensions: 768 }).notNull(),
  embeddingModel: text('embedding_model').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const customerMemories = pgTable('customer_memories', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  conversationId: uuid('conversation_id'),
  kind: text('kind').$type<'fact' | 'summary'>().notNull(),
  content: text('content').notNull(),
  embedding: vector('embedding', { dimensions: 768 }),
  embeddingModel: text('embedding_model'),
  coveredUntil: ts('covered_until'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const CONTENT_KINDS = ['google_business_post', 'social_post', 'broadcast'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export const contentRequests = pgTable('content_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind').$type<ContentKind>().notNull(),
  goal: text('goal').notNull(),
  tone: text('tone').notNull(),
  language: text('language').$type<'en' | 'sw' | 'sheng'>().notNull().default('en'),
  variants: integer('variants').notNull().default(3),
  status: text('status').$type<'pending' | 'done' | 'failed'>().notNull().default('pending'),
  error: text('error'),
  requestedBy: uuid('requested_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const contentItems = pgTable('content_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  requestId: uuid('request_id').notNull(),
  kind: text('kind').$type<ContentKind>().notNull(),
  variant: integer('variant').notNull(),
  body: text('body').notNull(),
  status: text('status').$type<'draft' | 'approved' | 'published'>().notNull().default('draft'),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  approvedAt: ts('approved_at'),
  publishedAt: ts('published_at'),
});
