// Tiny REST client for the tenant API (session cookie set by POST /api/auth/login) and the
// live event stream (Server-Sent Events at /api/tenant/events).

/** fetch JSON; throws Error(message) with `.status` from the API's one error shape. */
export async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return undefined;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(data?.error?.message || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

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
