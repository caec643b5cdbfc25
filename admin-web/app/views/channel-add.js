// @ts-check
/**
 * Adding an SMS number in Channels: Twilio (number, Account SID, auth token) or Africa's Talking
 * (short code or number, username, API key). The answer's webhook URL (for Africa's Talking it
 * carries the secret token) is shown once, with a copy button: paste it into the provider's
 * console as the inbound SMS callback.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { errorText } from '/web/shared/api.js';
import { clearFields, copyText } from '/web/shared/components.js';

/** @param {{ add: (body: import('../../types/console-api.js').NewChannel) => Promise<{ webhookUrl?: string }> }} p */
export function AddSms({ add }) {
  const provider = useSignal(/** @type {'twilio' | 'africastalking'} */ ('twilio'));
  const result = useSignal(/** @type {{ kind: 'ok' | 'error', text: string, url?: string } | null} */ (null));
  const copied = useSignal('');
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const f = new FormData(form);
    const v = (/** @type {string} */ k) => String(f.get(k) ?? '').trim();
    /** @type {import('../../types/console-api.js').NewChannel} */
    const body = provider.value === 'twilio'
      ? { type: 'sms', provider: 'twilio', address: v('address'), accountSid: v('accountSid'), authToken: v('authToken') }
      : { type: 'sms', provider: 'africastalking', address: v('address'), username: v('username'), apiKey: v('apiKey') };
    result.value = null;
    copied.value = '';
    try {
      const r = await add(body);
      result.value = { kind: 'ok', text: `${body.address} added. Paste this webhook URL into ${provider.value === 'twilio' ? 'Twilio (the number’s “A message comes in” webhook)' : 'Africa’s Talking (SMS → Inbox callback URL)'} — it is shown only once:`, url: r.webhookUrl };
      clearFields(form, ['address', 'accountSid', 'authToken', 'username', 'apiKey']);
    } catch (err) {
      result.value = { kind: 'error', text: errorText(err) };
    }
  };
  const r = result.value;
  return html`<form class="card" onSubmit=${submit} aria-label="Add an SMS number">
    <label>Provider <select name="provider" value=${provider.value} onChange=${(/** @type {Event} */ e) => (provider.value = /** @type {any} */ (/** @type {HTMLSelectElement} */ (e.target).value))}>
      <option value="twilio">Twilio</option><option value="africastalking">Africa’s Talking</option></select></label>
    ${provider.value === 'twilio' ? html`
      <label>Phone number <input name="address" type="tel" required placeholder="+254712345678" pattern="^\\+[1-9][0-9]{6,14}$" /></label>
      <label>Account SID <input name="accountSid" required autocomplete="off" placeholder="AC…" /></label>
      <label>Auth token <input name="authToken" type="password" required autocomplete="off" /></label>` : html`
      <label>Short code or number <input name="address" required placeholder="22334 or +254712345678" /></label>
      <label>Username <input name="username" required autocomplete="off" /></label>
      <label>API key <input name="apiKey" type="password" required autocomplete="off" /></label>`}
    <button type="submit">Add SMS number</button>
    ${r ? html`<div role=${r.kind === 'error' ? 'alert' : 'status'} class=${`notice ${r.kind}`}>${r.text}
      ${r.url ? html`<pre class="snippet" data-testid="webhook-url">${r.url}</pre>
        <button type="button" onClick=${async () => (copied.value = (await copyText(r.url ?? '')) ? 'Webhook URL copied.' : 'Copy failed: select the text and copy it.')}>Copy webhook URL</button> <span>${copied.value}</span>` : null}</div>` : null}
  </form>`;
}
