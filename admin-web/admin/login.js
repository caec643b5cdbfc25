// @ts-check
/** The platform sign-in form (owner, admin, sales, support); business staff are sent to the inbox. */
import { html, useSignal } from '/web/shared/ui.js';
import { call, messageOf } from './api.js';
import { loginMessage } from './session.js';

/** @param {{ onSignedIn: () => Promise<void> }} props */
export function Login({ onSignedIn }) {
  const busy = useSignal(false);
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.currentTarget));
    busy.value = true;
    try {
      await call('POST', '/api/auth/login', { email: String(f.get('email') ?? '').trim(), password: String(f.get('password') ?? '') });
      loginMessage.value = '';
      await onSignedIn();
    } catch (err) {
      loginMessage.value = messageOf(err);
    } finally {
      busy.value = false;
    }
  };
  return html`
    <section class="login">
      <form class="card" onSubmit=${submit}>
        <h1>Aizalo admin</h1>
        <p class="muted">Platform sign-in (owner, admin, sales, support). Business staff: <a href="/admin/inbox">inbox</a>.</p>
        <label>Email <input name="email" type="email" autocomplete="username" required data-testid="login-email" /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required data-testid="login-password" /></label>
        <button type="submit" disabled=${busy.value} data-testid="login-submit">${busy.value ? 'Signing in…' : 'Sign in'}</button>
        <p class="error" role="alert">${loginMessage.value}</p>
      </form>
    </section>`;
}
