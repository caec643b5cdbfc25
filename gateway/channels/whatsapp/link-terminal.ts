/**
 * Link a WhatsApp channel from a terminal (`aizalo channel add --type whatsapp --link`): opens
 * the channel's socket in this process (or, when another process holds it, just listens), prints
 * each QR code as terminal blocks plus the raw string, or a pairing code for `pairPhone`, and
 * resolves once the number is connected, the session ended, or `timeoutMs` passed.
 */
import type { Config } from '../../../core/config.ts';
import type { Database } from '../../../core/db/client.ts';
import type { EventBus, LiveEvent } from '../../../core/events.ts';
import type { Logger } from '../../../core/logger.ts';
import type { JobQueue } from '../../../core/queue.ts';
import { createRuntimeWhatsApp, type WhatsAppRuntimeOptions } from './runtime-wiring.ts';

export interface LinkOptions {
  /** E.164 number to link with an 8-character pairing code instead of a QR code. */
  pairPhone?: string;
  /** Give up after this many ms (default 120 000). */
  timeoutMs?: number;
  print?: (text: string) => void;
  /** Tests inject a fake socket factory. */
  whatsapp?: WhatsAppRuntimeOptions;
}

/** Terminal rendering of a QR payload (qrcode-terminal, small mode). */
export async function renderQr(qr: string): Promise<string> {
  const { default: qrcode } = await import('qrcode-terminal');
  // Called as a method: generate() reads its error-correction level from `this`.
  return new Promise((resolve) => qrcode.generate(qr, { small: true }, resolve));
}

/** @returns the final link status: 'connected', 'logged_out', 'stopped' or 'timeout'. */
export async function linkWhatsAppInTerminal(
  rt: { cfg: Config; db: Database; queue: JobQueue; bus: EventBus; log: Logger },
  channelId: string,
  opts: LinkOptions = {},
): Promise<string> {
  const print = opts.print ?? ((t: string) => console.log(t));
  const manager = createRuntimeWhatsApp(rt, { rescanMs: 0, standbyRetryMs: 2_000, ...opts.whatsapp });
  let done!: (status: string) => void;
  const finished = new Promise<string>((r) => (done = r));
  const onEvent = (e: LiveEvent) => {
    if (e.type === 'whatsapp.qr')
      void renderQr(String(e.qr)).then((art) =>
        print(`${art}\nScan with WhatsApp → Settings → Linked devices → Link a device.\n(raw QR: ${String(e.qr)})`),
      );
    if (e.type === 'whatsapp.pairing_code')
      print(`Pairing code: ${String(e.code)}\nOn the phone: WhatsApp → Linked devices → Link a device → Link with phone number instead.`);
    if (e.type === 'whatsapp.status' && ['connected', 'logged_out', 'stopped'].includes(String(e.status))) done(String(e.status));
  };
  const unsubscribe = await rt.bus.subscribe(`whatsapp:${channelId}`, onEvent);
  const timer = setTimeout(() => done('timeout'), opts.timeoutMs ?? 120_000);
  try {
    await manager.ensureChannel(channelId);
    if (opts.pairPhone) await manager.requestPairingCode(channelId, opts.pairPhone);
    const status = await finished;
    print(status === 'connected' ? 'WhatsApp linked.' : `WhatsApp not linked (${status}).`);
    return status;
  } finally {
    clearTimeout(timer);
    await unsubscribe();
    await manager.stop();
  }
}
