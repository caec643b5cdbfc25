/**
 * Channels added, changed and removed from the console. Creation is the CLI's
 * (`aizalo channel add`, bin/commands/channel-add.ts): core/services/tenancy/channels.ts
 * `createChannel` encrypts the credentials with the runtime's SecretBox ('channel-credentials')
 * and stores only the digest of an Africa's Talking webhook token, which is returned once.
 * Every write is audited (channel.create, channel.update, channel.delete). A disabled channel
 * (enabled = false) is not found by the webhook/web-chat lookups and sends nothing.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { SecretBox } from '../../crypto.ts';
import { channels } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { auditTx } from '../tenancy/audit.ts';
import { createChannel, forgetCachedChannels } from '../tenancy/channels.ts';
import { getTenantChannel, type TenantChannel } from '../tenancy/tenant-channels.ts';
import type { Actor } from './business-profile.ts';

export type NewConsoleChannel =
  | { type: 'sms'; provider: 'twilio'; address: string; accountSid: string; authToken: string }
  | { type: 'sms'; provider: 'africastalking'; address: string; username: string; apiKey: string }
  | { type: 'whatsapp' };

export class ChannelInUseError extends AppError {
  constructor() {
    super('channel_in_use', 'This channel has conversations; disable it instead of deleting it (deleting would delete them)');
  }
}
export class ChannelInputError extends AppError {
  constructor(message: string) {
    super('invalid_channel', message);
  }
}

/**
 * Create a tenant channel. @returns the channel and the URL to paste into the provider (null for
 * WhatsApp, which is linked by QR / pairing code). @throws ChannelConflictError (409) when the
 * address is taken (by any tenant or the platform).
 */
export async function addChannel(
  db: Database,
  box: SecretBox,
  publicUrl: string,
  tenantId: string,
  input: NewConsoleChannel,
  actor: Actor,
): Promise<{ channel: TenantChannel; webhookUrl: string | null }> {
  const base = publicUrl.replace(/\/$/, '');
  const made =
    input.type === 'whatsapp'
      ? await createChannel(db, box, { tenantId, type: 'whatsapp', provider: 'baileys', address: `pending-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` })
      : input.provider === 'twilio'
        ? await createChannel(db, box, { tenantId, type: 'sms', provider: 'twilio', address: input.address, credentials: { accountSid: input.accountSid, authToken: input.authToken } })
        : await createChannel(db, box, { tenantId, type: 'sms', provider: 'africastalking', address: input.address, credentials: { username: input.username, apiKey: input.apiKey } });
  const webhookUrl =
    made.channel.provider === 'twilio'
      ? `${base}/webhooks/twilio/sms`
      : made.channel.provider === 'africastalking'
        ? `${base}/webhooks/africastalking/sms?token=${made.webhookToken}`
        : null;
  const channel = await db.withTenant(tenantId, async (tx) => {
    await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, ip: actor.ip, action: 'channel.create', target: made.channel.id, data: { type: made.channel.type, provider: made.channel.provider, address: made.channel.address } });
    return getTenantChannel(tx, made.channel.id);
  });
  return { channel: channel!, webhookUrl };
}

/**
 * Enable/disable a channel or replace its credentials (same shape as at creation, per provider).
 * @returns undefined when it is not this tenant's channel. @throws ChannelInputError (400) for
 * credentials of the wrong shape or on a channel without credentials.
 */
export async function updateChannel(
  db: Database,
  box: SecretBox,
  tenantId: string,
  id: string,
  patch: { enabled?: boolean; credentials?: Record<string, string> },
  actor: Actor,
): Promise<TenantChannel | undefined> {
  const out = await db.withTenant(tenantId, async (tx) => {
    const [cur] = await tx.select({ id: channels.id, provider: channels.provider }).from(channels).where(eq(channels.id, id)).for('update');
    if (!cur) return undefined;
    const set: Partial<typeof channels.$inferInsert> = {};
    if (patch.enabled !== undefined) set.enabled = patch.enabled;
    if (patch.credentials) {
      const want = cur.provider === 'twilio' ? ['accountSid', 'authToken'] : cur.provider === 'africastalking' ? ['username', 'apiKey'] : [];
      if (!want.length) throw new ChannelInputError(`a ${cur.provider} channel has no credentials to set`);
      const keys = Object.keys(patch.credentials).sort();
      if (keys.join() !== [...want].sort().join() || Object.values(patch.credentials).some((v) => typeof v !== 'string' || !v))
        throw new ChannelInputError(`credentials for ${cur.provider} are {${want.join(', ')}}`);
      set.credentialsEnc = box.encryptJson(patch.credentials);
    }
    if (Object.keys(set).length) await tx.update(channels).set(set).where(eq(channels.id, id));
    await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, ip: actor.ip, action: 'channel.update', target: id, data: { enabled: patch.enabled, credentials: patch.credentials ? 'replaced' : undefined } });
    return getTenantChannel(tx, id);
  });
  forgetCachedChannels(db);
  return out;
}

/** Delete a channel without conversations. @returns false when it is not this tenant's. @throws ChannelInUseError (409). */
export async function removeChannel(db: Database, tenantId: string, id: string, actor: Actor): Promise<boolean> {
  const ok = await db.withTenant(tenantId, async (tx) => {
    const [cur] = await tx.select({ id: channels.id }).from(channels).where(eq(channels.id, id)).for('update');
    if (!cur) return false;
    const used = await tx.execute(sql`select 1 from conversations where channel_id = ${id} limit 1`);
    if (used.rows.length) throw new ChannelInUseError();
    await tx.delete(channels).where(eq(channels.id, id));
    await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, ip: actor.ip, action: 'channel.delete', target: id });
    return true;
  });
  forgetCachedChannels(db);
  return ok;
}
