/**
 * Twilio SMS out: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form fields
 * `To`, `From`, `Body`, HTTP basic auth AccountSid:AuthToken; 201 with the Message resource
 * JSON (`sid`). Source: Twilio Programmable Messaging REST API docs, "Create a Message resource".
 */
import type { ChannelSender } from '../../../core/channel-sender.ts';
import { providerFetch, SendError, sendErrorFromStatus } from '../../../core/channel-sender.ts';

export function createTwilioSender(apiBaseUrl: string): ChannelSender {
  return {
    async send(msg, signal) {
      const { accountSid, authToken } = msg.credentials;
      if (!accountSid || !authToken) throw new SendError('twilio channel has no credentials', false);
      const res = await providerFetch('twilio', `${apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: msg.to, From: msg.channel.address, Body: msg.text }),
        signal,
      });
      const body = await res.text();
      if (!res.ok) throw sendErrorFromStatus('twilio', res.status, body);
      try {
        return { externalId: (JSON.parse(body) as { sid?: string }).sid };
      } catch {
        return {};
      }
    },
  };
}
