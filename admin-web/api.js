// Tiny REST client for the platform API (session cookie set by POST /api/auth/login).

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

/** KES cents → "KES 12,500". */
export const kes = (cents) => `KES ${Math.round((cents ?? 0) / 100).toLocaleString('en-US')}`;
export const pct = (f) => (f == null ? '–' : `${(f * 100).toFixed(1)}%`);
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
export const $ = (id) => document.getElementById(id);
