// @ts-check
/**
 * Sign-in: Business (slug; `?tenant=SLUG` pre-fills it), Email, Password → POST /api/auth/login
 * {email, password, tenant}; then the session reloads and the requested section shows. The
 * data-testids are the old staff inbox's (test/e2e/inbox.e2e.test.ts relies on them).
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';
import { loadSession } from './session.js';

export function SignIn() {
  const error = useSignal('');
  const busy = useSignal(false);
  const preset = new URLSearchParams(location.search).get('tenant') ?? '';
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.target));
    busy.value = true;
    error.value = '';
    try {
      await call('POST /api/auth/login', { body: { tenant: String(f.get('tenant')).trim(), email: String(f.get('email')).trim(), password: String(f.get('password')) } });
      await loadSession();
    } catch (err) {
      error.value = errorText(err);
    } finally {
      busy.value = false;
    }
  };
  return html`<main class="public">
    <form class="card" aria-labelledby="login-title" onSubmit=${submit}>
      <h1 id="login-title">Sign in to your business</h1>
      <label>Business <input name="tenant" data-testid="inbox-login-tenant" autocomplete="organization" required placeholder="your-business" value=${preset} /></label>
      <label>Email <input name="email" type="email" data-testid="inbox-login-email" autocomplete="username" required /></label>
      <label>Password <input name="password" type="password" data-testid="inbox-login-password" autocomplete="current-password" required /></label>
      <button type="submit" class="primary" data-testid="inbox-login-submit" disabled=${busy.value}>Sign in</button>
      <p class="error" role="alert">${error.value}</p>
      <a href="/app/reset${preset ? `?tenant=${encodeURIComponent(preset)}` : ''}">Forgot your password?</a>
    </form>
  </main>`;
}
