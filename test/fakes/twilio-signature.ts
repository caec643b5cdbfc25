/**
 * Computes `X-Twilio-Signature` the way Twilio does for webhooks
 * (https://www.twilio.com/docs/usage/security#validating-requests): take the full URL
 * Twilio requested (scheme, host, path, query), append each POST parameter sorted by
 * name as `name + value` (no separators), HMAC-SHA1 with the account's auth token,
 * base64-encode.
 */
import { createHmac } from 'node:crypto';

/**
 * @param authToken the account's auth token (HMAC key).
 * @param url the exact URL the webhook is posted to, e.g. `${PUBLIC_URL}/webhooks/twilio/sms`.
 * @param params the form fields being posted (values as strings).
 * @returns the base64 signature for the `X-Twilio-Signature` header.
 */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: Record<string, string>,
): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}
