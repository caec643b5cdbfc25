/**
 * Live event bus for staff inbox and web chat views: Redis pub/sub in production (all gateway
 * processes see every event), an in-process EventEmitter in zero-setup mode.
 * Topics: `conversation:<id>`, `tenant:<id>`. Payloads are JSON-serialisable objects.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

export interface LiveEvent {
  type: string;
  [key: string]: unknown;
}

/** `knowledge.progress` on `tenant:<id>`: a knowledge document's indexing state (agents/memory/kb-indexer.ts). */
export interface KnowledgeProgressEvent extends LiveEvent {
  type: 'knowledge.progress';
  documentId: string;
  status: 'queued' | 'chunking' | 'embedding' | 'ready' | 'failed';
  chunksDone: number;
  chunksTotal: number;
}

export interface EventBus {
  publish(topic: string, event: LiveEvent): Promise<void>;
  /** @returns an unsubscribe function. */
  subscribe(topic: string, fn: (event: LiveEvent) => void): Promise<() => Promise<void>>;
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
      em.on(topic, fn);
      return async () => void em.off(topic, fn);
    },
    async close() {
      em.removeAllListeners();
    },
  };
}

/** @param prefix namespaces channels so several deployments/tests can share one Redis. */
export function createRedisBus(redisUrl: string, prefix: string): EventBus {
  const pub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const sub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const counts = new Map<string, number>();
  sub.on('message', (channel: string, raw: string) => {
    try {
      local.emit(channel.slice(prefix.length + 4), JSON.parse(raw));
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
      local.on(topic, fn);
      const n = (counts.get(topic) ?? 0) + 1;
      counts.set(topic, n);
      if (n === 1) await sub.subscribe(key(topic));
      return async () => {
        local.off(topic, fn);
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
