// @ts-check
/**
 * The tenant's live event stream (Server-Sent Events, GET /api/tenant/events) shared by every
 * console view: one EventSource per page, opened on the first subscription. Event names are the
 * bus's event types unchanged (`message`, `ownership`, `needs_attention`, `whatsapp.status`,
 * `whatsapp.qr`, `whatsapp.pairing_code`, `knowledge.progress`; core/events.ts); data is the
 * event as JSON. `connected` is a signal views can show.
 */
import { signal } from './ui.js';

export const LIVE_EVENTS = ['message', 'ownership', 'needs_attention', 'whatsapp.status', 'whatsapp.qr', 'whatsapp.pairing_code', 'knowledge.progress'];
export const connected = signal(false);

/** @type {EventSource | undefined} */
let source;
/** @type {Set<(type: string, data: any) => void>} */
const listeners = new Set();

function open() {
  source = new EventSource('/api/tenant/events');
  source.onopen = () => (connected.value = true);
  source.onerror = () => (connected.value = false);
  // Servers before the names were kept whole sent them without dots (`whatsappqr`): listen to
  // both spellings and hand views the real type.
  for (const type of LIVE_EVENTS)
    for (const wire of new Set([type, type.replace(/[^a-z_]/g, '')]))
      source.addEventListener(wire, (e) => {
        let data;
        try {
          data = JSON.parse(/** @type {MessageEvent} */ (e).data);
        } catch {
          return; // a malformed frame is dropped
        }
        for (const fn of listeners) fn(type, data);
      });
}

/**
 * Subscribe to live events; returns the unsubscribe function (for useEffect cleanups).
 * @param {(type: string, data: any) => void} fn
 */
export function onLive(fn) {
  if (!source) open();
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

/** Close the stream (sign-out). */
export function closeLive() {
  source?.close();
  source = undefined;
  connected.value = false;
}
