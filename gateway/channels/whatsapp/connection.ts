/**
 * One WhatsApp channel's socket lifecycle (the reconnect state machine):
 *
 *   start → take the lease (else `standby`, retry later) → fence token → load auth → socket
 *   socket close → 401/403/440: terminal (status stored, tenant notified, lease released)
 *               → 515: reconnect now; anything else: reconnect after backoff with jitter
 *   lease lost  → socket ended at once, back to `standby`
 *
 * Before a new socket is made, every listener on the old one is removed and it is ended, so an
 * old socket can never deliver events or fight the new one. `start()` is guarded: concurrent
 * calls share one attempt (the in-process half of "one socket per channel").
 */
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { Database } from '../../../core/db/client.ts';
import type { EventBus } from '../../../core/events.ts';
import type { Logger } from '../../../core/logger.ts';
import { claimFence, FencedError, loadPgAuthState, type AuthCrypto, type PgAuthState } from './auth-state.ts';
import { publishChannelEvent, saveStatus, type LinkStatus } from './channel-status.ts';
import type { LeaseHandle, LeaseProvider } from './lease.ts';
import { loadSent } from './message-store.ts';
import { backoffMs, classifyClose, closeStatusCode } from './reconnect.ts';
import type { ChannelRef } from './scope.ts';
import type { SocketFactory, WhatsAppSocket } from './socket.ts';

export interface ConnectionDeps {
  db: Database;
  /** Auth state encryption (see auth-state.ts authCrypto). */
  authCrypto: AuthCrypto;
  bus: EventBus;
  log: Logger;
  lease: LeaseProvider;
  factory: SocketFactory;
  holderId: string;
  /** Reconnect backoff: first delay ≈ baseMs, doubling up to capMs (ms). */
  backoff: { baseMs: number; capMs: number };
  /** How often a standby connection retries the lease (ms). */
  standbyRetryMs: number;
  /** Called for every `messages.upsert` of the live socket. */
  onUpsert(conn: ChannelConnection, sock: WhatsAppSocket, ev: BaileysEventMap['messages.upsert']): Promise<void>;
  /** Called for every LID ↔ phone pair Baileys reports outside messages (lid-mapping.update, history). */
  onLidPair(conn: ChannelConnection, pair: { lid: string; pn: string }): Promise<void>;
  /** Called each time the socket opens (connected). */
  onOpen?(conn: ChannelConnection): void;
  /** Called when this process takes (true) or gives up (false) the channel's lease. */
  onLease?(conn: ChannelConnection, held: boolean): void;
}

type Handler = [keyof BaileysEventMap, (arg: never) => void];

export class ChannelConnection {
  status: LinkStatus = 'idle';
  qr?: string;
  pairingCode?: string;
  private sock?: WhatsAppSocket;
  private handlers: Handler[] = [];
  private lease?: LeaseHandle;
  private auth?: PgAuthState;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private starting?: Promise<void>;
  private stopped = false;
  private pairPhone?: string;
  private saving: Promise<void> = Promise.resolve();
  private statusWrites: Promise<void> = Promise.resolve();

  constructor(
    readonly ref: ChannelRef,
    private readonly deps: ConnectionDeps,
  ) {}

  /** The socket while connected, else undefined. */
  get socket(): WhatsAppSocket | undefined {
    return this.status === 'connected' ? this.sock : undefined;
  }

  /** Take the lease and connect (idempotent while running). */
  start(): Promise<void> {
    this.stopped = false;
    if (this.lease) return Promise.resolve();
    this.starting ??= this.tryStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Ask for a pairing code for this phone (E.164) instead of scanning the QR. */
  async requestPairingCode(phone: string): Promise<void> {
    this.pairPhone = phone.replace(/\D/g, '');
    if (this.sock && this.status === 'linking') await this.askPairingCode(this.sock);
  }

  /** End the socket and release the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.starting?.catch(() => {});
    this.detach();
    await this.saving;
    await this.lease?.release();
    this.setLease(undefined);
  }

  private async tryStart(): Promise<void> {
    let lease: LeaseHandle | undefined;
    try {
      lease = await this.deps.lease.acquire(this.ref.channelId, () => void this.onLeaseLost());
    } catch (err) {
      // Redis unreachable: stay in standby and keep trying (never give the channel up for good).
      this.deps.log.warn({ err, channelId: this.ref.channelId }, 'whatsapp lease unavailable; retrying');
    }
    if (!lease) {
      this.status = 'standby';
      this.schedule(this.deps.standbyRetryMs, () => this.start());
      return;
    }
    if (this.stopped) return void (await lease.release());
    this.setLease(lease);
    try {
      const fence = await claimFence(this.deps.db, this.ref, this.deps.holderId);
      this.auth = await loadPgAuthState(this.deps.db, this.deps.authCrypto, this.ref, fence, this.baileysLogger() as never);
    } catch (err) {
      // Database unreachable: give the lease back and retry later rather than hold it idle.
      this.deps.log.error({ err, channelId: this.ref.channelId }, 'whatsapp auth state could not be loaded; retrying');
      await lease.release();
      this.setLease(undefined);
      this.status = 'standby';
      return this.schedule(this.deps.standbyRetryMs, () => this.start());
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.lease || !this.auth) return;
    this.detach();
    const auth = this.auth;
    let sock: WhatsAppSocket;
    try {
      sock = await this.deps.factory({
        auth: auth.state,
        getMessage: (key) => (key.id ? loadSent(this.deps.db, this.ref, key.id) : Promise.resolve(undefined)),
        logger: this.baileysLogger(),
      });
    } catch (err) {
      const delay = backoffMs(this.attempt++, this.deps.backoff.baseMs, this.deps.backoff.capMs);
      this.deps.log.error({ err, channelId: this.ref.channelId, delay }, 'whatsapp socket could not be made; retrying');
      await this.setStatus('reconnecting', 'socket error');
      return this.schedule(delay, () => this.connect());
    }
    this.sock = sock;
    this.on(sock, 'connection.update', (u) => void this.onConnectionUpdate(sock, u));
    this.on(sock, 'creds.update', () => {
      this.saving = this.saving.then(() => auth.saveCreds()).catch((err) => this.onSaveError(err));
    });
    this.on(sock, 'messages.upsert', (ev) => {
      this.deps.onUpsert(this, sock, ev).catch((err) => this.deps.log.error({ err, channelId: this.ref.channelId }, 'whatsapp upsert failed'));
    });
    this.on(sock, 'lid-mapping.update', (pair) => void this.deps.onLidPair(this, pair).catch(() => {}));
    this.on(sock, 'messaging-history.set', (h) => {
      for (const pair of h.lidPnMappings ?? []) void this.deps.onLidPair(this, pair).catch(() => {});
    });
    const linking = !auth.state.creds.registered;
    await this.setStatus(linking ? 'linking' : this.attempt ? 'reconnecting' : 'connecting');
  }

  private async onConnectionUpdate(sock: WhatsAppSocket, u: BaileysEventMap['connection.update']): Promise<void> {
    if (sock !== this.sock) return;
    if (u.qr) {
      this.qr = u.qr;
      // Status first (synchronously in memory): an 'open' arriving while we await must win.
      if (this.status !== 'linking') await this.setStatus('linking');
      await publishChannelEvent(this.deps.bus, this.ref, { type: 'whatsapp.qr', qr: u.qr });
      if (this.pairPhone && !this.pairingCode) await this.askPairingCode(sock);
    }
    if (u.connection === 'open') {
      this.attempt = 0;
      this.qr = undefined;
      this.pairingCode = undefined;
      await this.setStatus('connected');
      this.deps.onOpen?.(this);
    } else if (u.connection === 'close') {
      const code = closeStatusCode(u.lastDisconnect?.error);
      this.detach();
      const action = classifyClose(code);
      const log = { channelId: this.ref.channelId, code };
      if (action.kind === 'terminal') {
        this.deps.log.warn({ ...log, reason: action.reason }, 'whatsapp session ended; not reconnecting');
        this.stopped = true;
        await this.saving;
        if (action.reason === 'logged_out') await this.auth?.clear().catch(() => {});
        await this.lease?.release();
        this.setLease(undefined);
        await this.setStatus(action.status, action.reason);
        return;
      }
      const delay = action.immediate ? 0 : backoffMs(this.attempt++, this.deps.backoff.baseMs, this.deps.backoff.capMs);
      this.deps.log.info({ ...log, delay }, 'whatsapp socket closed; reconnecting');
      await this.setStatus('reconnecting', code === undefined ? undefined : `closed ${code}`);
      this.schedule(delay, () => this.connect());
    }
  }

  private async askPairingCode(sock: WhatsAppSocket): Promise<void> {
    if (!sock.requestPairingCode || !this.pairPhone) return;
    try {
      this.pairingCode = await sock.requestPairingCode(this.pairPhone);
      await publishChannelEvent(this.deps.bus, this.ref, { type: 'whatsapp.pairing_code', code: this.pairingCode });
    } catch (err) {
      this.deps.log.warn({ err, channelId: this.ref.channelId }, 'pairing code request failed');
    }
  }

  private async onLeaseLost(): Promise<void> {
    this.deps.log.warn({ channelId: this.ref.channelId }, 'whatsapp lease lost; ending socket');
    clearTimeout(this.timer);
    this.detach();
    this.setLease(undefined);
    this.status = 'standby';
    if (!this.stopped) this.schedule(this.deps.standbyRetryMs, () => this.start());
  }

  private setLease(lease: LeaseHandle | undefined): void {
    const changed = !!lease !== !!this.lease;
    this.lease = lease;
    if (changed) this.deps.onLease?.(this, !!lease);
  }

  private onSaveError(err: unknown): void {
    this.deps.log.error({ err, channelId: this.ref.channelId }, 'whatsapp auth save failed');
    if (err instanceof FencedError) void this.lease?.release().then(() => this.onLeaseLost());
  }

  private on<E extends keyof BaileysEventMap>(sock: WhatsAppSocket, event: E, fn: (arg: BaileysEventMap[E]) => void): void {
    sock.ev.on(event, fn);
    this.handlers.push([event, fn as (arg: never) => void]);
  }

  /** Remove every listener from the current socket, then end it. */
  private detach(): void {
    const sock = this.sock;
    if (!sock) return;
    for (const [event, fn] of this.handlers) sock.ev.off(event, fn as never);
    this.handlers = [];
    this.sock = undefined;
    try {
      sock.end(undefined);
    } catch {
      /* already closed */
    }
  }

  private schedule(ms: number, fn: () => Promise<void>): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.stopped) fn().catch((err) => this.deps.log.error({ err, channelId: this.ref.channelId }, 'whatsapp (re)connect failed'));
    }, ms);
    this.timer.unref();
  }

  /** Status in memory now; stored and published in call order (a slow earlier write never lands last). */
  private async setStatus(status: LinkStatus, reason?: string): Promise<void> {
    this.status = status;
    this.statusWrites = this.statusWrites.then(() =>
      saveStatus(this.deps, this.ref, status, reason).catch((err) =>
        this.deps.log.error({ err, channelId: this.ref.channelId }, 'whatsapp status save failed'),
      ),
    );
    await this.statusWrites;
  }

  private baileysLogger(): unknown {
    // Baileys is chatty: warn and above, unless our own level is stricter.
    const level = this.deps.log.levelVal > 40 ? this.deps.log.level : 'warn';
    return this.deps.log.child({ module: 'baileys', channelId: this.ref.channelId }, { level });
  }
}
