/**
 * The one outbound contract: every channel adapter (gateway/channels/sms, webchat, whatsapp)
 * implements `ChannelSender`; the `outbound` job (workers/delivery.ts) picks the sender by the
 * channel's provider and calls `send` — for tenant replies and the sales assistant's replies on
 * the platform's own number alike. A thrown `SendError` with `retryable` decides between a retry
 * and a final `failed` status. Lives in core so that nothing above it defines the contract.
 */
import type { ChannelRow } from './services/tenancy/channels.ts';

export interface OutboundSend {
  /** The tenant's id; '' for the platform's own number (sales assistant). */
  tenantId: string;
  channel: ChannelRow;
  /** Decrypted channel credentials (shape per provider, see core/services/tenancy/channels.ts). */
  credentials: Record<string, string>;
  /** Customer handle: E.164 for SMS/WhatsApp, `web:<visitor>` for web chat. */
  to: string;
  text: string;
  /** messages.id, or platform_messages.id on the platform's number. */
  messageId: string;
  /** '' on the platform's number (no conversation row there). */
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
