/**
 * Live event bus for staff inbox, console and web chat views: Redis pub/sub in production (all
 * gateway processes see every event), an in-process EventEmitter in zero-setup mode.
 *
 * Every event the bus carries is one member of a discriminated union (on `type`), and each topic
 * carries a known subset, so publishers and subscribers are typed by the topic string:
 *   `tenant:<tenantId>`            TenantEvent (staff inbox / console SSE, gateway/routes/tenant/events.ts)
 *   `conversation:<conversationId>` ConversationEvent (one conversation's live view)
 *   `webchat:<tenantId>:<handle>`  WebchatEvent (a visitor's web-chat sockets)
 *   `whatsapp:<channelId>`, `platform:whatsapp`  WhatsAppEvent (link status, QR, pairing code)
 *   `platform:sessions`            SessionsEvent (drop cached session checks: gateway/plugins/auth.ts)
 * Payloads are JSON-serialisable; ids are UUIDs, times ISO-8601 strings. README "Live events".
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/** Who wrote a stored message (messages.sender). */
export type MessageSender = 'customer' | 'ai' | 'staff' | 'system';

/** A message was stored in a conversation (staff views reload it by id). */
export interface MessageEvent {
  type: 'message';
  conversationId: string;
  /** Absent when the view should simply refetch the conversation. */
  messageId?: string;
  sender: MessageSender;
}

/** A message as a web-chat visitor sees it (the widget's wire format: role customer | agent). */
export interface ChatMessageEvent {
  type: 'message';
  id: string;
  role: 'agent';
  author: 'ai' | 'staff' | 'system';
  text: string;
  /** ISO-8601. */
  at: string;
}

/** Who owns a conversation changed (core/services/conversations/ownership.ts). */
export interface OwnershipEvent {
  type: 'ownership';
  conversationId: string;
  owner: 'ai' | 'human' | 'unassigned';
  assignedUserId: string | null;
  ownerVersion: number;
  needsHuman: boolean;
  reason: string | null;
  changed: boolean;
}

/** A conversation needs a person (handoff requested, AI paused, offline fallback). */
export interface NeedsAttentionEvent {
  type: 'needs_attention';
  conversationId: string;
  messageId?: string;
  reason: string | null;
}

/** A WhatsApp channel's link status (gateway/channels/whatsapp/channel-status.ts). */
export type WhatsAppLinkStatus = 'idle' | 'standby' | 'linking' | 'connecting' | 'connected' | 'reconnecting' | 'logged_out' | 'stopped';

export interface WhatsAppStatusEvent {
  type: 'whatsapp.status';
  channelId: string;
  status: WhatsAppLinkStatus;
  reason?: string;
}

/** A QR payload to link the number (secret: only roles that may link receive it over SSE). */
export interface WhatsAppQrEvent {
  type: 'whatsapp.qr';
  channelId: string;
  qr: string;
}

/** An 8-character pairing code to link by phone number (secret, like the QR). */
export interface WhatsAppPairingCodeEvent {
  type: 'whatsapp.pairing_code';
  channelId: string;
  code: string;
}

/** Progress of a knowledge document's chunking + embedding (the console's Knowledge view). */
export interface KnowledgeProgressEvent {
  type: 'knowledge.progress';
  documentId: string;
  status: 'queued' | 'chunking' | 'embedding' | 'ready' | 'failed';
  chunksDone: number;
  chunksTotal: number;
}

/** Someone is composing in a conversation (the widget's and console's typing indicator). */
export interface TypingEvent {
  type: 'typing';
  conversationId: string;
  actor: 'ai' | 'staff' | 'customer';
}

/** Sessions were revoked or users changed: every gateway process re-checks its cached sessions. */
export interface SessionsEvent {
  type: 'sessions.invalidate';
}

export type WhatsAppEvent = WhatsAppStatusEvent | WhatsAppQrEvent | WhatsAppPairingCodeEvent;
export type TenantEvent = MessageEvent | OwnershipEvent | NeedsAttentionEvent | WhatsAppEvent | KnowledgeProgressEvent | TypingEvent;
export type ConversationEvent = ChatMessageEvent | OwnershipEvent | TypingEvent;
export type WebchatEvent = ChatMessageEvent | TypingEvent;
/** Every event the bus carries. */
export type LiveEvent = TenantEvent | ConversationEvent | WebchatEvent | SessionsEvent;
export type LiveEventType = LiveEvent['type'];

/** Every `type` in the union; the Redis bus drops payloads with any other (foreign publishers). */
export const LIVE_EVENT_TYPES: ReadonlySet<LiveEventType> = new Set<LiveEventType>([
  'message',
  'ownership',
  'needs_attention',
  'whatsapp.status',
  'whatsapp.qr',
  'whatsapp.pairing_code',
  'knowledge.progress',
  'typing',
  'sessions.invalidate',
]);

export type Topic = `tenant:${string}` | `conversation:${string}` | `webchat:${string}:${string}` | `whatsapp:${string}` | 'platform:whatsapp' | 'platform:sessions';

/** The events topic `T` carries. */
export type EventFor<T extends Topic> = T extends `tenant:${string}`
  ? TenantEvent
  : T extends `conversation:${string}`
    ? ConversationEvent
    : T extends `webchat:${string}`
      ? WebchatEvent
      : T extends 'platform:sessions'
        ? SessionsEvent
        : WhatsAppEvent;

/** Topic names, typed (a plain `string` topic would lose the event type). */
export const topics = {
  tenant: (tenantId: string) => `tenant:${tenantId}` as const,
  conversation: (conversationId: string) => `conversation:${conversationId}` as const,
  webchat: (tenantId: string, handle: string) => `webchat:${tenantId}:${handle}` as const,
  whatsapp: (channelId: string) => `whatsapp:${channelId}` as const,
  platformWhatsapp: 'platform:whatsapp' as const,
  platformSessions: 'platform:sessions' as const,
};

export interface EventBus {
  publish<T extends Topic>(topic: T, event: EventFor<T>): Promise<void>;
  /** @returns an unsubscribe function. */
  subscribe<T extends Topic>(topic: T, fn: (event: EventFor<T>) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createMemoryBus(): EventBus {
  const em = new EventEmitter();
  em.setMaxListeners(0);
  return {
    async publish(topic, event) {
      em.emit(topic, event);
    },
    async subscribe(topic, fn) {
      em.on(topic, fn as (e: unknown) => void);
      return async () => void em.off(topic, fn as (e: unknown) => void);
    },
    async close() {
      em.removeAllListeners();
    },
  };
}

/** @param prefix namespaces channels so several deployments/tests can share one Redis. */
export function createRedisBus(redisUrl: string, prefix: string): EventBus {
  const pub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  // No ready check on the subscriber: its INFO can race a SUBSCRIBE and fail in subscriber mode.
  const sub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null, enableReadyCheck: false });
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const counts = new Map<string, number>();
  sub.on('message', (channel: string, raw: string) => {
    try {
      const ev = JSON.parse(raw) as { type?: unknown } | null;
      if (ev && LIVE_EVENT_TYPES.has(ev.type as LiveEventType)) local.emit(channel.slice(prefix.length + 4), ev);
    } catch {
      /* ignore foreign payloads */
    }
  });
  const key = (topic: string) => `${prefix}:ev:${topic}`;
  return {
    async publish(topic, event) {
      await pub.publish(key(topic), JSON.stringify(event));
    },
    async subscribe(topic, fn) {
      local.on(topic, fn as (e: unknown) => void);
      const n = (counts.get(topic) ?? 0) + 1;
      counts.set(topic, n);
      if (n === 1) await sub.subscribe(key(topic));
      return async () => {
        local.off(topic, fn as (e: unknown) => void);
        const left = (counts.get(topic) ?? 1) - 1;
        counts.set(topic, left);
        if (left === 0) {
          counts.delete(topic);
          await sub.unsubscribe(key(topic)).catch(() => {});
        }
      };
    },
    async close() {
      local.removeAllListeners();
      sub.disconnect();
      pub.disconnect();
    },
  };
}
