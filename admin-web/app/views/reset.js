// @ts-check
/**
 * Password reset. Without a token (/app/reset?tenant=SLUG): ask for the email → POST
 * /api/auth/password-reset (always 202: the answer never says whether the account exists).
 * With one (/app/reset?token=…&tenant=SLUG, from the email): choose a new password → POST
 * /api/auth/password-reset/confirm, then sign in (Business pre-filled).
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';

export function View() {
  const q = new URLSearchParams(location.search);
  const token = q.get('token') ?? '';
  const tenant = q.get('tenant') ?? '';
  const done = useSignal('');
  const error = useSignal('');
  const signIn = `/app${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`;
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.target));
    error.value = '';
    try {
      if (token) {
        const newPassword = String(f.get('password'));
        if (newPassword !== String(f.get('confirm'))) return void (error.value = 'The two passwords differ.');
        await call('POST /api/auth/password-reset/confirm', { body: { token, newPassword } });
        done.value = 'Your password is changed. Sign in with it now.';
      } else {
        const business = String(f.get('tenant') ?? '').trim();
        await call('POST /api/auth/password-reset', { body: { email: String(f.get('email')).trim(), ...(business ? { tenant: business } : {}) } });
        done.value = 'If that account exists, we sent a link to reset the password. Check your email.';
      }
    } catch (err) {
      error.value = errorText(err);
    }
  };
  if (done.value) return html`<div class="card"><h1>Reset your password</h1><p role="status" data-testid="reset-done">${done.value}</p><a href=${signIn}>Back to sign in</a>
    ${tenant ? null : html`<p class="hint">Aizalo platform staff sign in at <a href="/admin">/admin</a>.</p>`}</div>`;
  return html`<form class="card" onSubmit=${submit} aria-labelledby="reset-title">
    <h1 id="reset-title">${token ? 'Choose a new password' : 'Reset your password'}</h1>
    ${token ? html`
      <label>New password <input name="password" type="password" autocomplete="new-password" required minlength="8" /></label>
      <label>Repeat the password <input name="confirm" type="password" autocomplete="new-password" required minlength="8" /></label>
      <button type="submit">Change password</button>` : html`
      <label>Business <input name="tenant" value=${tenant} autocomplete="organization" placeholder="your-business" /></label>
      <label>Email <input name="email" type="email" required autocomplete="username" /></label>
      <button type="submit">Send reset link</button>`}
    <p class="error" role="alert">${error.value}</p>
    <a href=${signIn}>Back to sign in</a>
  </form>`;
}
