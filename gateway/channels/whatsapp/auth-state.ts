/**
 * Baileys auth state in PostgreSQL (table whatsapp_auth): the `creds` object and every signal
 * key, generically by (type, id), serialised with Baileys' `BufferJSON` (Buffers survive as
 * {type:'Buffer',data}) and encrypted with SecretBox(SECRET_KEY, 'whatsapp-auth'). Key ids (which
 * contain contacts' numbers, e.g. session '2547…\.0') are stored as HMAC-SHA256 digests only.
 *
 * Writes are fenced: each carries the lease's fencing token and is refused (FencedError) when
 * whatsapp_sessions.fence holds a newer token, so a socket that lost its lease can never
 * overwrite the state of the socket that replaced it. Shapes: Baileys `AuthenticationState`
 * (lib/Types/Auth.d.ts of @whiskeysockets/baileys 7.0.0-rc14).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import { SecretBox } from '../../../core/crypto.ts';
import type { Database, Tx } from '../../../core/db/client.ts';
import { whatsappAuth } from '../../../core/db/schema/index.ts';
import { inChannelScope, type ChannelRef } from './scope.ts';

export class FencedError extends Error {
  override name = 'FencedError';
}

export interface PgAuthState {
  state: AuthenticationState;
  /** Persist the (mutated) creds object; call on every `creds.update`. */
  saveCreds(): Promise<void>;
  /** Remove all auth rows of the channel (after a logout: the next link starts fresh). */
  clear(): Promise<void>;
}

/** Encryption of values and keyed digests of ids, both derived from SECRET_KEY. */
export interface AuthCrypto {
  box: SecretBox;
  idOf(type: string, id: string): string;
}

export function authCrypto(secretKey: string): AuthCrypto {
  const idKey = Buffer.from(hkdfSync('sha256', secretKey, 'aizalo', 'whatsapp-auth-ids', 32));
  return {
    box: new SecretBox(secretKey, 'whatsapp-auth'),
    idOf: (type, id) => createHmac('sha256', idKey).update(`${type}\0${id}`).digest('base64url'),
  };
}

const encode = (box: SecretBox, value: unknown) => box.encrypt(JSON.stringify(value, BufferJSON.replacer));
const decode = <T>(box: SecretBox, text: string): T => JSON.parse(box.decrypt(text), BufferJSON.reviver) as T;

/** Refuse the transaction when a newer lease holder exists for the channel. */
async function checkFence(tx: Tx, channelId: string, fence: number): Promise<void> {
  const r = await tx.execute(sql`select fence from whatsapp_sessions where channel_id = ${channelId} for share`);
  const current = Number((r.rows[0] as { fence?: string | number } | undefined)?.fence ?? 0);
  if (current > fence) throw new FencedError(`channel ${channelId}: lease token ${fence} superseded by ${current}`);
}

/**
 * Load (or initialise) a channel's auth state.
 * @param fence the lease's fencing token; every write checks it.
 * @param logger optional Baileys-compatible logger for the key cache.
 */
export async function loadPgAuthState(
  db: Database,
  crypto: AuthCrypto,
  ref: ChannelRef,
  fence: number,
  logger?: Parameters<typeof makeCacheableSignalKeyStore>[1],
): Promise<PgAuthState> {
  const { channelId, tenantId } = ref;
  const { box, idOf } = crypto;
  const [row] = await inChannelScope(db, ref, (tx) =>
    tx
      .select({ dataEnc: whatsappAuth.dataEnc })
      .from(whatsappAuth)
      .where(and(eq(whatsappAuth.channelId, channelId), eq(whatsappAuth.type, 'creds'), eq(whatsappAuth.id, idOf('creds', '')))),
  );
  const creds: AuthenticationCreds = row ? decode<AuthenticationCreds>(box, row.dataEnc) : initAuthCreds();

  const upsert = (tx: Tx, type: string, id: string, value: unknown) =>
    tx
      .insert(whatsappAuth)
      .values({ channelId, tenantId, type, id: idOf(type, id), dataEnc: encode(box, value) })
      .onConflictDoUpdate({
        target: [whatsappAuth.channelId, whatsappAuth.type, whatsappAuth.id],
        set: { dataEnc: sql`excluded.data_enc`, updatedAt: sql`now()` },
      });

  const store: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      if (!ids.length) return out;
      const byHash = new Map(ids.map((id) => [idOf(type, id), id]));
      const rows = await inChannelScope(db, ref, (tx) =>
        tx
          .select({ id: whatsappAuth.id, dataEnc: whatsappAuth.dataEnc })
          .from(whatsappAuth)
          .where(and(eq(whatsappAuth.channelId, channelId), eq(whatsappAuth.type, type), inArray(whatsappAuth.id, [...byHash.keys()]))),
      );
      for (const r of rows) {
        let value = decode<unknown>(box, r.dataEnc);
        // Baileys keeps app-state-sync keys as proto objects (its own file store does the same).
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
        out[byHash.get(r.id)!] = value as SignalDataTypeMap[T];
      }
      return out;
    },
    async set(data: SignalDataSet) {
      await inChannelScope(db, ref, async (tx) => {
        await checkFence(tx, channelId, fence);
        for (const [type, byId] of Object.entries(data)) {
          for (const [id, value] of Object.entries(byId ?? {})) {
            if (value === null || value === undefined) {
              await tx
                .delete(whatsappAuth)
                .where(and(eq(whatsappAuth.channelId, channelId), eq(whatsappAuth.type, type), eq(whatsappAuth.id, idOf(type, id))));
            } else await upsert(tx, type, id, value);
          }
        }
      });
    },
  };

  return {
    state: { creds, keys: makeCacheableSignalKeyStore(store, logger) },
    async saveCreds() {
      await inChannelScope(db, ref, async (tx) => {
        await checkFence(tx, channelId, fence);
        await upsert(tx, 'creds', '', creds);
      });
    },
    async clear() {
      await inChannelScope(db, ref, async (tx) => {
        await checkFence(tx, channelId, fence);
        await tx.delete(whatsappAuth).where(eq(whatsappAuth.channelId, channelId));
      });
    },
  };
}

/**
 * Issue the next fencing token for a channel (call right after taking the lease): only the lease
 * holder calls this, so the newest holder always has the highest token.
 */
export async function claimFence(db: Database, ref: ChannelRef, holder: string): Promise<number> {
  return inChannelScope(db, ref, async (tx) => {
    const r = await tx.execute(sql`
      insert into whatsapp_sessions (channel_id, tenant_id, fence, holder) values (${ref.channelId}, ${ref.tenantId}, 1, ${holder})
      on conflict (channel_id) do update set fence = whatsapp_sessions.fence + 1, holder = excluded.holder, updated_at = now()
      returning fence`);
    return Number((r.rows[0] as { fence: string | number }).fence);
  });
}
