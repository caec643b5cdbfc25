/**
 * Outbound side of a channel adapter. The `outbound` worker picks the sender by the channel's
 * provider and calls `send`; a thrown `SendError` with `retryable` decides between retry and
 * a final `failed` status.
 */
import type { ChannelRow } from '../../core/services/tenancy/channels.ts';

export interface OutboundSend {
  tenantId: string;
  channel: ChannelRow;
  /** Decrypted channel credentials (shape per provider, see core/services/tenancy/channels.ts). */
  credentials: Record<string, string>;
  /** Customer handle: E.164 for SMS/WhatsApp, `web:<visitor>` for web chat. */
  to: string;
  text: string;
  messageId: string;
  conversationId: string;
  /** Sender of the message (ai or staff), for live views. */
  author: 'ai' | 'staff' | 'system';
}

export interface SendResult {
  /** Provider message id (Twilio SID, AT messageId), stored on the outbound message. */
  externalId?: string;
}

export interface ChannelSender {
  send(msg: OutboundSend, signal?: AbortSignal): Promise<SendResult>;
}

export class SendError extends Error {
  override name = 'SendError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Classify an HTTP status from a provider's REST API: 429 and 5xx are worth retrying. */
export function sendErrorFromStatus(provider: string, status: number, body: string): SendError {
  return new SendError(`${provider} answered ${status}: ${body.slice(0, 300)}`, status === 429 || status >= 500, status);
}

/** A fetch that turns network errors into retryable SendErrors. */
export async function providerFetch(provider: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    throw new SendError(`${provider} unreachable: ${(err as Error).message}`, true);
  }
}
