/**
 * What a tenant sees of a WhatsApp channel's link: the live state from this process's manager
 * when it holds the channel's socket, else the status stored on the channel (another gateway
 * process holds it, or none does yet). The QR payload Baileys emits (`connection.update.qr`) is
 * rendered here as an SVG data URL with the `qrcode` package, so the browser needs no QR code.
 */
import QRCode from 'qrcode';
import type { TenantChannel } from '../../../core/services/tenancy/tenant-channels.ts';
import type { WhatsAppManager } from '../../channels/whatsapp/manager.ts';

export interface LinkView {
  /** idle | standby | linking | connecting | connected | reconnecting | logged_out | stopped */
  status: string;
  reason?: string | null;
  /** `data:image/svg+xml;base64,…` while linking and a QR code is current. */
  qr?: string;
  /** 8 characters, while linking after a pairing-code request. */
  pairingCode?: string;
  /** ISO 8601: the last stored status change (or the channel's creation). */
  updatedAt: string;
}

/** In-memory-only states that say nothing about the link itself. */
const NOT_HOLDING = ['idle', 'standby'];

/** Render a Baileys QR payload as an SVG data URL (error correction L, as WhatsApp's own QR). */
export async function qrDataUrl(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Link state of a WhatsApp (Baileys) channel. `ch.link` must be set (see tenant-channels.ts). */
export async function linkView(manager: WhatsAppManager | undefined, ch: TenantChannel): Promise<LinkView> {
  const stored = ch.link!;
  const local = manager?.linkState(ch.id);
  const live = local && !NOT_HOLDING.includes(local.status) ? local : undefined;
  // A channel that never connected still carries the channels table's default status.
  const status = live?.status ?? (stored.at ? stored.status : 'idle');
  const view: LinkView = { status, reason: live && live.status !== stored.status ? undefined : stored.reason, updatedAt: stored.at ?? ch.createdAt.toISOString() };
  if (status === 'linking' && live?.qr) view.qr = await qrDataUrl(live.qr);
  if (status === 'linking' && live?.pairingCode) view.pairingCode = live.pairingCode;
  return view;
}
