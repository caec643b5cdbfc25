// REST client shared by the platform admin (/admin) and the staff inbox (/admin/inbox): the
// session cookie is set by POST /api/auth/login; errors come in the API's one error shape
// ({ error: { code, message } }, gateway/errors.ts). Served at /admin/shared/api.js.

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
