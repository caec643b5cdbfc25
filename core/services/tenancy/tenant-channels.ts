/**
 * A tenant's own channels as the tenant API shows them (no credentials, no webhook digests).
 * Runs inside the caller's tenant transaction, so RLS hides other tenants' channels and the
 * platform's own numbers (tenant_id NULL).
 */
import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { channels, type ChannelProvider, type ChannelType } from '../../db/schema/index.ts';

/** The stored WhatsApp link info (settings.whatsappLink, written by gateway/channels/whatsapp/channel-status.ts). */
export interface StoredLink {
  status: string;
  reason: string | null;
  /** ISO 8601 time of the last stored status change. */
  at: string | null;
}

export interface TenantChannel {
  id: string;
  type: ChannelType;
  provider: ChannelProvider;
  address: string;
  status: string;
  /** false = disabled from the console (receives and sends nothing). */
  enabled: boolean;
  createdAt: Date;
  /** Only for WhatsApp (Baileys) channels. */
  link?: StoredLink;
}

const columns = {
  id: channels.id,
  type: channels.type,
  provider: channels.provider,
  address: channels.address,
  status: channels.status,
  enabled: channels.enabled,
  createdAt: channels.createdAt,
  settings: channels.settings,
};

function shape(row: { settings: Record<string, unknown> } & Omit<TenantChannel, 'link'>): TenantChannel {
  const { settings, ...rest } = row;
  if (rest.provider !== 'baileys') return rest;
  const l = (settings.whatsappLink ?? {}) as Partial<StoredLink>;
  return { ...rest, link: { status: l.status ?? rest.status, reason: l.reason ?? null, at: l.at ?? null } };
}

/** Every channel of the transaction's tenant, oldest first. */
export async function listTenantChannels(tx: Tx): Promise<TenantChannel[]> {
  const rows = await tx.select(columns).from(channels).orderBy(asc(channels.createdAt), asc(channels.id));
  return rows.map(shape);
}

/** One channel of the transaction's tenant; undefined when it is another tenant's or does not exist. */
export async function getTenantChannel(tx: Tx, id: string): Promise<TenantChannel | undefined> {
  const [row] = await tx.select(columns).from(channels).where(eq(channels.id, id));
  return row && shape(row);
}
