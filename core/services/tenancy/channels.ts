/**
 * Channels: a tenant's (or the platform's own, tenantId null) SMS number, WhatsApp number or
 * web-chat widget. Credentials are stored encrypted (SecretBox 'channel-credentials'); Africa's
 * Talking webhook tokens are stored as SHA-256 digests only.
 */
import { and, eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Database, Tx } from '../../db/client.ts';
import { channels, type ChannelProvider, type ChannelType } from '../../db/schema/index.ts';
import { randomToken, sha256Hex, type SecretBox } from '../../crypto.ts';
import { AppError } from '../../errors.ts';

export type ChannelRow = typeof channels.$inferSelect;

/** Provider credentials, by provider (source: Twilio / Africa's Talking REST API docs). */
export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}
export interface AfricasTalkingCredentials {
  username: string;
  apiKey: string;
}
export type ChannelCredentials = TwilioCredentials | AfricasTalkingCredentials | Record<string, never>;

export class ChannelConflictError extends AppError {
  constructor(message: string) {
    super('channel_exists', message);
  }
}

export interface NewChannel {
  tenantId: string | null;
  type: ChannelType;
  provider: ChannelProvider;
  address: string;
  credentials?: Record<string, string>;
  settings?: Record<string, unknown>;
}

/**
 * Create a channel (platform context). For Africa's Talking a webhook token is generated and
 * returned once in clear; only its digest is stored.
 * @throws ChannelConflictError (409) when type+provider+address is taken.
 */
export async function createChannel(
  db: Database,
  box: SecretBox,
  input: NewChannel,
): Promise<{ channel: ChannelRow; webhookToken?: string }> {
  const webhookToken = input.provider === 'africastalking' ? randomToken() : undefined;
  return db.withPlatform(async (tx) => {
    const [dup] = await tx
      .select({ id: channels.id })
      .from(channels)
      .where(and(eq(channels.type, input.type), eq(channels.provider, input.provider), eq(channels.address, input.address)));
    if (dup) throw new ChannelConflictError(`a ${input.type}/${input.provider} channel for ${input.address} already exists`);
    const [channel] = await tx
      .insert(channels)
      .values({
        tenantId: input.tenantId,
        type: input.type,
        provider: input.provider,
        address: input.address,
        credentialsEnc: input.credentials ? box.encryptJson(input.credentials) : null,
        webhookTokenHash: webhookToken ? sha256Hex(webhookToken) : null,
        settings: input.settings ?? {},
      })
      .returning();
    return { channel: channel!, webhookToken };
  });
}

/**
 * Channel rows seen by the public edges (webhooks, web chat), cached per database for
 * CHANNEL_CACHE_TTL_MS: every inbound request starts with this lookup, and channels change
 * rarely. Only hits are cached, so a channel added a moment ago is found at once; a credential
 * rotation takes effect within the TTL.
 */
export const CHANNEL_CACHE_TTL_MS = 10_000;
const caches = new WeakMap<Database, LRUCache<string, ChannelRow>>();
function cacheOf(db: Database): LRUCache<string, ChannelRow> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new LRUCache<string, ChannelRow>({ max: 10_000, ttl: CHANNEL_CACHE_TTL_MS })));
  return c;
}
async function cached(db: Database, key: string, load: () => Promise<ChannelRow | undefined>): Promise<ChannelRow | undefined> {
  const cache = cacheOf(db);
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await load();
  if (row) cache.set(key, row);
  return row;
}

/**
 * Drop this process's cached channel rows (after a console disables, re-keys or deletes a
 * channel; other processes see the change within CHANNEL_CACHE_TTL_MS).
 */
export function forgetCachedChannels(db: Database): void {
  caches.get(db)?.clear();
}

/** Resolve an enabled channel by its public address (platform context: the tenant is not known yet). Cached (see above). */
export async function findChannelByAddress(
  db: Database,
  type: ChannelType,
  provider: ChannelProvider,
  address: string,
): Promise<ChannelRow | undefined> {
  return cached(db, `a:${type}:${provider}:${address}`, () =>
    db.withPlatform(async (tx) => {
      const [row] = await tx
        .select()
        .from(channels)
        .where(and(eq(channels.type, type), eq(channels.provider, provider), eq(channels.address, address), eq(channels.enabled, true)));
      return row;
    }),
  );
}

/** Resolve an enabled Africa's Talking channel by the clear webhook token from its URL. Cached (see above). */
export async function findChannelByWebhookToken(db: Database, token: string): Promise<ChannelRow | undefined> {
  const digest = sha256Hex(token);
  return cached(db, `t:${digest}`, () =>
    db.withPlatform(async (tx) => {
      const [row] = await tx.select().from(channels).where(and(eq(channels.webhookTokenHash, digest), eq(channels.enabled, true)));
      return row;
    }),
  );
}

/** A channel by id inside a tenant transaction (RLS hides other tenants' channels). */
export async function getChannel(tx: Tx, id: string): Promise<ChannelRow | undefined> {
  const [row] = await tx.select().from(channels).where(eq(channels.id, id));
  return row;
}

/** Decrypt a channel's credentials; `{}` when it has none. */
export function channelCredentials<T extends ChannelCredentials>(box: SecretBox, channel: ChannelRow): T {
  return (channel.credentialsEnc ? box.decryptJson<T>(channel.credentialsEnc) : {}) as T;
}
