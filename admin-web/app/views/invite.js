// @ts-check
/**
 * Invite acceptance (/app/invite?token=…&tenant=SLUG): names the business and the invited email
 * (GET /api/auth/invite), sets the password once (POST /api/auth/invite/accept, which signs the
 * new member in), then opens the dashboard. A used or expired link says so.
 */
import { html, useEffect, useSignal } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';
import { loadSession } from '../session.js';
import { navigate } from '../router.js';

export function View() {
  const q = new URLSearchParams(location.search);
  const token = q.get('token') ?? '';
  const info = useSignal(/** @type {{ email: string, tenant: { slug: string, name: string } } | null} */ (null));
  const error = useSignal(token ? '' : 'This invite link is incomplete: open the link from your email again.');
  const busy = useSignal(false);
  useEffect(() => {
    if (token) call('GET /api/auth/invite', { query: { token } }).then((r) => (info.value = r), (err) => (error.value = `This invite cannot be used: ${errorText(err)}`));
  }, []);
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.target));
    const password = String(f.get('password'));
    if (password !== String(f.get('confirm'))) return void (error.value = 'The two passwords differ.');
    busy.value = true;
    error.value = '';
    try {
      await call('POST /api/auth/invite/accept', { body: { token, password } });
      await loadSession();
      navigate('/app', true);
    } catch (err) {
      error.value = errorText(err);
    } finally {
      busy.value = false;
    }
  };
  const i = info.value;
  return html`<form class="card" onSubmit=${submit} aria-labelledby="invite-title">
    <h1 id="invite-title">${i ? `Join ${i.tenant.name} on Aizalo` : 'Accept your invite'}</h1>
    ${i ? html`<p>You were invited as <strong>${i.email}</strong>. Choose a password to finish.</p>` : token && !error.value ? html`<p role="status">Checking your invite…</p>` : null}
    <label>Business <input name="tenant" readonly value=${i?.tenant.slug ?? q.get('tenant') ?? ''} /></label>
    <label>New password <input name="password" type="password" autocomplete="new-password" required minlength="8" /></label>
    <label>Repeat the password <input name="confirm" type="password" autocomplete="new-password" required minlength="8" /></label>
    <button type="submit" disabled=${busy.value || !i}>Set password and sign in</button>
    <p class="error" role="alert">${error.value}</p>
  </form>`;
}
