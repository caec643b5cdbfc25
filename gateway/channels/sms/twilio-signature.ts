/**
 * Twilio request validation: X-Twilio-Signature = base64(HMAC-SHA1(authToken, url + each POST
 * param name+value, params sorted by name)). The URL is the full URL Twilio requested, which
 * behind a proxy is PUBLIC_URL + path + query. Source: Twilio docs, "Webhooks security".
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../core/crypto.ts';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Constant-time check of a received signature; false when missing. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  return !!signature && safeEqual(twilioSignature(authToken, url, params), signature);
}
