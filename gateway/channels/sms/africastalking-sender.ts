/**
 * Africa's Talking SMS out: `POST {base}/version1/messaging`, header `apiKey`, form fields
 * `username`, `to`, `message`, `from`; answers 201 with
 * `{SMSMessageData:{Recipients:[{statusCode, messageId, status}]}}` where statusCode 100-102 is
 * success. Source: Africa's Talking SMS API docs, "Sending messages".
 */
import type { ChannelSender } from '../../../core/channel-sender.ts';
import { providerFetch, SendError, sendErrorFromStatus } from '../../../core/channel-sender.ts';

interface AtResponse {
  SMSMessageData?: { Recipients?: Array<{ statusCode?: number; messageId?: string; status?: string }> };
}

export function createAfricasTalkingSender(apiBaseUrl: string): ChannelSender {
  return {
    async send(msg, signal) {
      const { username, apiKey } = msg.credentials;
      if (!username || !apiKey) throw new SendError("africa's talking channel has no credentials", false);
      const res = await providerFetch('africastalking', `${apiBaseUrl}/version1/messaging`, {
        method: 'POST',
        headers: { apiKey, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, to: msg.to, message: msg.text, from: msg.channel.address }),
        signal,
      });
      const body = await res.text();
      if (!res.ok) throw sendErrorFromStatus('africastalking', res.status, body);
      let parsed: AtResponse;
      try {
        parsed = JSON.parse(body) as AtResponse;
      } catch {
        throw new SendError(`africastalking: unparsable response: ${body.slice(0, 200)}`, true);
      }
      const r = parsed.SMSMessageData?.Recipients?.[0];
      if (!r || (r.statusCode !== undefined && (r.statusCode < 100 || r.statusCode > 102)))
        throw new SendError(`africastalking rejected the message: ${r?.status ?? 'no recipient'}`, false);
      return { externalId: r.messageId };
    },
  };
}
