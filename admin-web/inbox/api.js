// Staff inbox helpers: the shared REST client (../shared/api.js) and the live event stream
// (Server-Sent Events at /api/tenant/events).
export { api } from '../shared/api.js';

/** Subscribe to tenant events; `onEvent(ev)` per event, `onState(bool)` when the stream is (dis)connected. */
export function liveEvents(onEvent, onState) {
  const es = new EventSource('/api/tenant/events');
  es.onopen = () => onState(true);
  es.onerror = () => onState(false);
  for (const type of ['message', 'ownership', 'needs_attention']) {
    es.addEventListener(type, (e) => {
      try {
        onEvent(JSON.parse(e.data));
      } catch {
        /* ignore malformed frames */
      }
    });
  }
  return () => es.close();
}
