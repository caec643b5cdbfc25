/**
 * The slice of a Baileys socket the adapter uses, and the factory that makes one. The real
 * factory wraps `makeWASocket` (@whiskeysockets/baileys 7.0.0-rc14); tests inject a fake that
 * emits real Baileys event payloads (see test/fakes/fake-baileys-socket.ts).
 */
import type {
  AnyMessageContent,
  AuthenticationState,
  BaileysEventMap,
  WAMessage,
  WAMessageKey,
  WAPresence,
  proto,
} from '@whiskeysockets/baileys';

export interface WhatsAppEvents {
  on<E extends keyof BaileysEventMap>(event: E, fn: (arg: BaileysEventMap[E]) => void): void;
  off<E extends keyof BaileysEventMap>(event: E, fn: (arg: BaileysEventMap[E]) => void): void;
}

export interface WhatsAppSocket {
  ev: WhatsAppEvents;
  /** Our own account once linked: `id` is '<phone>:<device>@s.whatsapp.net', `lid` its LID. */
  user?: { id: string; lid?: string; name?: string } | undefined;
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void>;
  /** Ask WhatsApp for an 8-character pairing code for this phone number (digits only). */
  requestPairingCode?(phoneNumber: string): Promise<string>;
  end(error: Error | undefined): void;
}

export interface SocketFactoryInput {
  auth: AuthenticationState;
  /** Baileys' retry-receipt hook: the content we sent under this key, if we still have it. */
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
  /** pino-compatible logger for Baileys itself. */
  logger: unknown;
}

export type SocketFactory = (input: SocketFactoryInput) => WhatsAppSocket | Promise<WhatsAppSocket>;

/**
 * The production factory: a real Baileys socket (opens a WebSocket to WhatsApp). Imported
 * lazily so that processes without WhatsApp channels never load the network stack's setup.
 */
export const baileysSocketFactory: SocketFactory = async (input) => {
  const { makeWASocket, Browsers } = await import('@whiskeysockets/baileys');
  return makeWASocket({
    auth: input.auth,
    getMessage: input.getMessage,
    logger: input.logger as never,
    browser: Browsers.ubuntu('Aizalo'),
    markOnlineOnConnect: false,
    syncFullHistory: false,
  }) as unknown as WhatsAppSocket;
};
