/**
 * `aizalo channel add --tenant S|--platform --type sms|whatsapp --provider twilio|africastalking ...`
 * Prints what the provider's console needs: the webhook URL (with its secret token for Africa's
 * Talking) or how to link a WhatsApp number.
 */
import type { Config } from '../../core/config.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { findTenantBySlug } from '../../core/services/tenancy/tenants.ts';
import { flags, required, UsageError, withRuntime } from './usage.ts';
import { linkWhatsAppInTerminal } from '../../gateway/channels/whatsapp/link-terminal.ts';

const USAGE = `aizalo channel add --tenant S|--platform --type sms --provider twilio --address +E164 --account-sid SID --auth-token TOKEN
       aizalo channel add --tenant S|--platform --type sms --provider africastalking --address CODE --username U --api-key K
       aizalo channel add --tenant S|--platform --type whatsapp [--address +E164] [--link [--pair-phone +E164]]`;

export async function channelAdd(cfg: Config, args: string[]): Promise<number> {
  const f = flags(args, ['tenant', 'type', 'provider', 'address', 'account-sid', 'auth-token', 'username', 'api-key', 'pair-phone'], ['platform', 'link']);
  required(f, ['type'], USAGE);
  if (!!f.tenant === !!f.platform) throw new UsageError(`give exactly one of --tenant S or --platform\nusage: ${USAGE}`);
  const type = f.type as string;
  let provider: 'twilio' | 'africastalking' | 'baileys';
  let credentials: Record<string, string> | undefined;
  if (type === 'sms') {
    required(f, ['provider', 'address'], USAGE);
    if (f.provider === 'twilio') {
      required(f, ['account-sid', 'auth-token'], USAGE);
      if (!/^\+[1-9]\d{6,14}$/.test(f.address as string)) throw new UsageError('--address must be an E.164 number for Twilio');
      provider = 'twilio';
      credentials = { accountSid: f['account-sid'] as string, authToken: f['auth-token'] as string };
    } else if (f.provider === 'africastalking') {
      required(f, ['username', 'api-key'], USAGE);
      provider = 'africastalking';
      credentials = { username: f.username as string, apiKey: f['api-key'] as string };
    } else throw new UsageError(`--provider must be twilio or africastalking for sms\nusage: ${USAGE}`);
  } else if (type === 'whatsapp') {
    provider = 'baileys';
  } else throw new UsageError(`--type must be sms or whatsapp\nusage: ${USAGE}`);

  return withRuntime(cfg, async (rt) => {
    let tenantId: string | null = null;
    if (f.tenant) {
      const tenant = await findTenantBySlug(rt.db, f.tenant as string);
      if (!tenant) throw new UsageError(`no tenant "${f.tenant}"`);
      tenantId = tenant.id;
    }
    const address = (f.address as string | undefined) ?? `pending-${Date.now()}`;
    const { channel, webhookToken } = await createChannel(rt.db, rt.box, { tenantId, type: type as 'sms', provider, address, credentials });
    const owner = tenantId ? `tenant ${f.tenant}` : 'the platform';
    console.log(`Channel created for ${owner}: ${type}/${provider} ${channel.address} (${channel.id})`);
    if (provider === 'twilio') console.log(`Set the number's "A message comes in" webhook (HTTP POST) to:\n  ${cfg.publicUrl}/webhooks/twilio/sms`);
    if (provider === 'africastalking')
      console.log(`Set the short code's incoming-messages callback URL to (keep it secret):\n  ${cfg.publicUrl}/webhooks/africastalking/sms?token=${webhookToken}`);
    if (provider === 'baileys')
      console.log(
        `To link the WhatsApp number: start Aizalo (npm start), open ${cfg.publicUrl}/admin → Channels, and scan the QR code\n` +
          `with WhatsApp → Linked devices (or use "link with phone number" for a pairing code).\n` +
          `Or link from here: aizalo channel add ... --link (prints the QR code; add --pair-phone +E164 for a pairing code).`,
      );
    if (provider === 'baileys' && f.link) {
      const status = await linkWhatsAppInTerminal(rt, channel.id, { pairPhone: f['pair-phone'] as string | undefined });
      return status === 'connected' ? 0 : 1;
    }
    return 0;
  });
}
