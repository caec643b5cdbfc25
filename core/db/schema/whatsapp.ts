/**
 * Drizzle tables of the WhatsApp (Baileys) adapter, mirroring migrations/0005_whatsapp.sql.
 * tenant_id is NULL for the platform's own WhatsApp number (like `channels`).
 */
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const whatsappAuth = pgTable(
  'whatsapp_auth',
  {
    channelId: uuid('channel_id').notNull(),
    tenantId: uuid('tenant_id'),
    type: text('type').notNull(),
    id: text('id').notNull(),
    dataEnc: text('data_enc').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.type, t.id] })],
);

export const whatsappSessions = pgTable('whatsapp_sessions', {
  channelId: uuid('channel_id').primaryKey(),
  tenantId: uuid('tenant_id'),
  fence: bigint('fence', { mode: 'number' }).notNull().default(0),
  holder: text('holder'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const whatsappLidMap = pgTable(
  'whatsapp_lid_map',
  {
    channelId: uuid('channel_id').notNull(),
    tenantId: uuid('tenant_id'),
    lid: text('lid').notNull(),
    phone: text('phone').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.lid] })],
);

export const whatsappMedia = pgTable('whatsapp_media', {
  id: uuid('id').primaryKey().defaultRandom(),
  channelId: uuid('channel_id').notNull(),
  tenantId: uuid('tenant_id'),
  waMessageId: text('wa_message_id').notNull(),
  kind: text('kind').notNull(),
  mimetype: text('mimetype'),
  sizeBytes: integer('size_bytes').notNull().default(0),
  dataEnc: text('data_enc'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const whatsappSent = pgTable(
  'whatsapp_sent',
  {
    channelId: uuid('channel_id').notNull(),
    tenantId: uuid('tenant_id'),
    waMessageId: text('wa_message_id').notNull(),
    remoteJid: text('remote_jid').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.waMessageId] })],
);

/** Inbound messages parked after a failed ingest (migrations/0009_whatsapp_pending.sql). */
export const whatsappInboundPending = pgTable(
  'whatsapp_inbound_pending',
  {
    channelId: uuid('channel_id').notNull(),
    tenantId: uuid('tenant_id'),
    waMessageId: text('wa_message_id').notNull(),
    dataEnc: text('data_enc').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.waMessageId] })],
);
