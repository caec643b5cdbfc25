/**
 * The WhatsApp connection manager: one `ChannelConnection` per Baileys channel (tenant channels
 * and the platform's own number), started from the channels table at boot, on demand
 * (`ensureChannel`) and by a periodic rescan (channels added by the CLI from another process).
 * Also hands out the outbound `ChannelSender` for provider 'baileys'.
 *
 * Tests inject `factory` (a fake socket); production uses `baileysSocketFactory`. Nothing here
 * opens a connection unless a Baileys channel exists.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, notInArray } from 'drizzle-orm';
import { downloadMediaMessage, type WAMessage } from '@whiskeysockets/baileys';
import { SecretBox } from '../../../core/crypto.ts';
import type { Database } from '../../../core/db/client.ts';
import { channels } from '../../../core/db/schema/index.ts';
import type { EventBus } from '../../../core/events.ts';
import type { Logger } from '../../../core/logger.ts';
import type { JobQueue } from '../../../core/queue.ts';
import type { ChannelSender } from '../../../core/channel-sender.ts';
import { authCrypto as makeAuthCrypto } from './auth-state.ts';
import { createBaileysSender } from './baileys-sender.ts';
import { ChannelConnection } from './connection.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import { handleOne, handleUpsert, learnPair, type PlatformInbound } from './inbound-handler.ts';
import { createInboundPending } from './inbound-pending.ts';
import { lidOfJid, phoneOfJid } from './inbound-message.ts';
import type { LeaseProvider } from './lease.ts';
import type { WhatsAppOutboundRoute } from './outbound-route.ts';
import type { Pacer } from './pacer.ts';
import type { SocketFactory, WhatsAppSocket } from './socket.ts';

export interface WhatsAppManagerOptions {
  db: Database;
  queue: JobQueue;
  bus: EventBus;
  log: Logger;
  /** SECRET_KEY: auth state and media are encrypted with keys derived from it. */
  secretKey: string;
  factory: SocketFactory;
  lease: LeaseProvider;
  pacer: Pacer;
  /** Messages to the platform's own number (default: logged and ignored). */
  onPlatformInbound?: (msg: PlatformInbound) => Promise<void> | void;
  downloadMedia?: (msg: WAMessage, sock: WhatsAppSocket) => Promise<Buffer>;
  /** Reconnect backoff (ms): default base 2000, cap 60 000. */
  backoff?: { baseMs: number; capMs: number };
  /** Standby lease retry (ms, default 15 000). */
  standbyRetryMs?: number;
  /** Rescan the channels table this often (ms, default 30 000; 0 = never). */
  rescanMs?: number;
  /** Identifies this manager in leases (default pid + random). */
  holderId?: string;
  /** Multi-process sends: the lease holder consumes its channels' `wa-out-<id>` queues (outbound-route.ts). */
  outboundRoute?: Pick<WhatsAppOutboundRoute, 'serve' | 'unserve'>;
  /** Store + enqueue an inbound message (default core ingestInbound; tests inject failures). */
  ingest?: typeof ingestInbound;
  /** Retry parked inbound messages this often (ms, default 30 000; also on every socket open); a
   *  message that fails again waits this long, doubling per attempt up to 10 min. */
  pendingRetryMs?: number;
}

export interface LinkState {
  status: ChannelConnection['status'];
  qr?: string;
  pairingCode?: string;
}

export interface WhatsAppManager {
  /** Start every Baileys channel that is not logged out/stopped, and the rescan timer. */
  start(): Promise<void>;
  /** Start (or keep) the connection of one channel; a logged-out channel starts linking anew. */
  ensureChannel(channelId: string): Promise<ChannelConnection | undefined>;
  connection(channelId: string): ChannelConnection | undefined;
  linkState(channelId: string): LinkState | undefined;
  requestPairingCode(channelId: string, phone: string): Promise<void>;
  sender: ChannelSender;
  stop(): Promise<void>;
}

const defaultDownload = (msg: WAMessage, sock: WhatsAppSocket) =>
  downloadMediaMessage(msg, 'buffer', {}, {
    logger: undefined as never,
    reuploadRequest: (sock as unknown as { updateMediaMessage: (m: WAMessage) => Promise<WAMessage> }).updateMediaMessage,
  }) as Promise<Buffer>;

export function createWhatsAppManager(opts: WhatsAppManagerOptions): WhatsAppManager {
  const { db, log } = opts;
  const conns = new Map<string, ChannelConnection>();
  const settings = new Map<string, Record<string, unknown>>();
  const holderId = opts.holderId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const authCrypto = makeAuthCrypto(opts.secretKey);
  const mediaBox = new SecretBox(opts.secretKey, 'whatsapp-media');
  let timer: NodeJS.Timeout | undefined;
  let pendingTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const inbound = {
    db,
    queue: opts.queue,
    log,
    mediaBox,
    downloadMedia: opts.downloadMedia ?? defaultDownload,
    onPlatformInbound: opts.onPlatformInbound ?? ((m: PlatformInbound) => log.info({ channelId: m.channelId }, 'platform WhatsApp message ignored (no handler)')),
    allowGroups: (channelId: string) => (settings.get(channelId)?.whatsapp as { groups?: boolean } | undefined)?.groups === true,
    ingest: opts.ingest ?? ingestInbound,
    pending: createInboundPending({ db, log, box: new SecretBox(opts.secretKey, 'whatsapp-inbound'), retryBaseMs: opts.pendingRetryMs ?? 30_000 }),
  };
  /** Ingest again the parked messages of a channel whose socket is live here (one drain at a time). */
  const draining = new Map<string, Promise<unknown>>();
  const drain = (conn: ChannelConnection) => {
    const sock = conn.socket;
    if (!sock || draining.has(conn.ref.channelId)) return;
    const run = inbound.pending
      .drain(conn.ref, (raw) => handleOne(inbound, conn, sock, raw))
      .then((n) => n && log.info({ channelId: conn.ref.channelId, stored: n }, 'parked whatsapp inbound messages stored'))
      .catch((err) => log.error({ err, channelId: conn.ref.channelId }, 'parked whatsapp inbound retry failed'))
      .finally(() => draining.delete(conn.ref.channelId));
    draining.set(conn.ref.channelId, run);
  };
  const connDeps = {
    db,
    authCrypto,
    bus: opts.bus,
    log,
    lease: opts.lease,
    factory: opts.factory,
    holderId,
    backoff: opts.backoff ?? { baseMs: 2000, capMs: 60_000 },
    standbyRetryMs: opts.standbyRetryMs ?? 15_000,
    onOpen: drain,
    onLease: (conn: ChannelConnection, held: boolean) => {
      const route = opts.outboundRoute;
      if (!route) return;
      if (held) route.serve(conn.ref.channelId);
      else void route.unserve(conn.ref.channelId).catch((err) => log.error({ err, channelId: conn.ref.channelId }, 'whatsapp outbound worker close failed'));
    },
    onUpsert: (conn: ChannelConnection, sock: WhatsAppSocket, ev: Parameters<typeof handleUpsert>[3]) => handleUpsert(inbound, conn, sock, ev),
    onLidPair: async (conn: ChannelConnection, pair: { lid: string; pn: string }) => {
      const lid = lidOfJid(pair.lid) ?? (/^\d+$/.test(pair.lid) ? pair.lid : undefined);
      const phone = phoneOfJid(pair.pn) ?? (/^\d{6,15}$/.test(pair.pn) ? `+${pair.pn}` : undefined);
      if (lid && phone) await learnPair(inbound, conn.ref, lid, phone);
    },
  };

  async function ensureChannel(channelId: string): Promise<ChannelConnection | undefined> {
    if (stopped) return undefined;
    const [row] = await db.withPlatform((tx) => tx.select().from(channels).where(and(eq(channels.id, channelId), eq(channels.provider, 'baileys'))));
    if (!row) return undefined;
    settings.set(row.id, row.settings);
    let conn = conns.get(row.id);
    if (!conn || conn.status === 'logged_out' || conn.status === 'stopped') {
      await conn?.stop();
      conn = new ChannelConnection({ channelId: row.id, tenantId: row.tenantId }, connDeps);
      conns.set(row.id, conn);
    }
    await conn.start();
    return conn;
  }

  async function scan(): Promise<void> {
    const rows = await db.withPlatform((tx) =>
      tx
        .select({ id: channels.id })
        .from(channels)
        .where(and(eq(channels.provider, 'baileys'), notInArray(channels.status, ['logged_out', 'stopped']))),
    );
    for (const r of rows) if (!conns.has(r.id)) await ensureChannel(r.id).catch((err) => log.error({ err, channelId: r.id }, 'whatsapp channel start failed'));
  }

  return {
    async start() {
      await scan();
      const every = opts.rescanMs ?? 30_000;
      if (every > 0) {
        timer = setInterval(() => void scan().catch((err) => log.error({ err }, 'whatsapp channel rescan failed')), every);
        timer.unref();
      }
      pendingTimer = setInterval(() => conns.forEach(drain), opts.pendingRetryMs ?? 30_000);
      pendingTimer.unref();
    },
    ensureChannel,
    connection: (id) => conns.get(id),
    linkState(id) {
      const c = conns.get(id);
      return c && { status: c.status, qr: c.qr, pairingCode: c.pairingCode };
    },
    async requestPairingCode(id, phone) {
      const c = conns.get(id) ?? (await ensureChannel(id));
      if (!c) throw new Error(`no WhatsApp channel ${id}`);
      await c.requestPairingCode(phone);
    },
    sender: createBaileysSender({ db, pacer: opts.pacer, connection: (id) => conns.get(id) }),
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pendingTimer);
      await Promise.all([...conns.values()].map((c) => c.stop()));
      await Promise.all(draining.values());
      conns.clear();
      await Promise.all([opts.lease.close(), opts.pacer.close()]);
    },
  };
}
