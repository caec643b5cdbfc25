/**
 * Drizzle tables for billing and the sales team, mirroring migrations/0007_billing.sql (the SQL
 * is the source of truth). Money in KES cents; commission rates in basis points (1000 = 10 %).
 */
import { bigint, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type SubscriptionStatus = 'trial' | 'active' | 'past_due' | 'suspended' | 'canceled';

export const subscriptions = pgTable('subscriptions', {
  tenantId: uuid('tenant_id').primaryKey(),
  planId: text('plan_id').notNull(),
  status: text('status').$type<SubscriptionStatus>().notNull(),
  trialEndsAt: ts('trial_ends_at'),
  currentPeriodEnd: ts('current_period_end'),
  pastDueSince: ts('past_due_since'),
  firstPaidMonth: date('first_paid_month', { mode: 'string' }),
  canceledAt: ts('canceled_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export type PaymentMethod = 'manual' | 'callback' | 'mpesa' | 'stripe';

export const platformRevenue = pgTable('platform_revenue', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  reference: text('reference').notNull(),
  method: text('method').$type<PaymentMethod>().notNull(),
  planId: text('plan_id').notNull(),
  amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
  currency: text('currency').notNull().default('KES'),
  periodMonths: integer('period_months').notNull().default(1),
  monthlyCents: bigint('monthly_cents', { mode: 'number' }).notNull(),
  periodStart: ts('period_start').notNull(),
  periodEnd: ts('period_end').notNull(),
  paidAt: ts('paid_at').notNull(),
  recordedBy: uuid('recorded_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const revenueMonths = pgTable(
  'revenue_months',
  {
    tenantId: uuid('tenant_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    monthlyCents: bigint('monthly_cents', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.tenantId] })],
);

export const salesRepSettings = pgTable('sales_rep_settings', {
  userId: uuid('user_id').primaryKey(),
  firstPaymentRateBp: integer('first_payment_rate_bp').notNull().default(2000),
  recurringRateBp: integer('recurring_rate_bp').notNull().default(1000),
  territories: text('territories').array().notNull().default([]),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type CommissionStatus = 'pending' | 'approved' | 'paid';

export const commissions = pgTable('commissions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  repId: uuid('rep_id').notNull(),
  paymentId: uuid('payment_id').notNull(),
  kind: text('kind').$type<'first' | 'recurring'>().notNull(),
  rateBp: integer('rate_bp').notNull(),
  amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  status: text('status').$type<CommissionStatus>().notNull().default('pending'),
  approvedAt: ts('approved_at'),
  paidAt: ts('paid_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const SALES_LEAD_STAGES = ['new', 'contacted', 'demo', 'negotiating', 'won', 'lost'] as const;
export type SalesLeadStage = (typeof SALES_LEAD_STAGES)[number];

export const salesLeads = pgTable('sales_leads', {
  id: uuid('id').primaryKey().defaultRandom(),
  repId: uuid('rep_id'),
  name: text('name').notNull(),
  phone: text('phone'),
  industry: text('industry'),
  stage: text('stage').$type<SalesLeadStage>().notNull().default('new'),
  notes: text('notes'),
  tenantId: uuid('tenant_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const platformMessages = pgTable('platform_messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  channelId: uuid('channel_id').notNull(),
  phone: text('phone').notNull(),
  repId: uuid('rep_id'),
  direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
  externalId: text('external_id'),
  text: text('text').notNull(),
  status: text('status').$type<'received' | 'processed' | 'sent' | 'failed'>().notNull().default('received'),
  inReplyTo: uuid('in_reply_to'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
