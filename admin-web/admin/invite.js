// @ts-check
/**
 * The owner-invite page (/admin/invite#<token>, the link the sales assistant sends a new
 * business owner): choose a password, POST /api/invite/accept {token, password} → {email, tenant},
 * then on to the staff inbox. A used, expired or bad token answers 400 with a message we show.
 */
import { html, render, useSignal } from '/web/shared/ui.js';
import { api } from '/web/shared/api.js';

/** Where a new owner signs in once the password is set. */
const INBOX = '/admin/inbox';

function Invite() {
  const msg = useSignal('');
  const done = useSignal(/** @type {{ email: string, tenant: string } | null} */ (null));
  const busy = useSignal(false);
  const token = location.hash.slice(1);
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const password = String(new FormData(/** @type {HTMLFormElement} */ (e.currentTarget)).get('password') ?? '');
    busy.value = true;
    msg.value = '';
    try {
      done.value = await api('POST', '/api/invite/accept', { token, password });
    } catch (err) {
      msg.value = err instanceof Error ? err.message : 'Something went wrong';
    } finally {
      busy.value = false;
    }
  };
  if (done.value)
    return html`
      <section class="login"><div class="card">
        <h1>Password set</h1>
        <p role="status" data-testid="invite-done">Sign in to your inbox as ${done.value.email} with business "${done.value.tenant}".</p>
        <p><a class="button" href=${INBOX}>Open the inbox</a></p>
      </div></section>`;
  return html`
    <section class="login">
      <form class="card" onSubmit=${submit}>
        <h1>Welcome to Aizalo</h1>
        <p class="muted">Choose a password for your business account (at least 8 characters).</p>
        ${token ? null : html`<p class="error" role="alert">This link has no invite code; open the link from your message again.</p>`}
        <label>Password <input name="password" type="password" minlength="8" autocomplete="new-password" required /></label>
        <button type="submit" disabled=${busy.value || !token}>${busy.value ? 'Saving…' : 'Set password'}</button>
        <p class="error" role="alert">${msg.value}</p>
      </form>
    </section>`;
}

const root = document.getElementById('root');
if (root) render(html`<${Invite} />`, root);
