// @ts-check
/**
 * "Test your agent": a chat with the business's real agent (POST /api/tenant/playground: same
 * prompt, tools in dry-run — they show what would be booked or offered without writing). Each
 * reply lists the tool calls the agent made and their results beside it.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';

/** @typedef {{ role: 'customer' | 'agent', text: string, toolCalls?: import('../../types/console-api.js').ToolCall[], provider?: string }} Turn */

/** Short JSON for a tool's args/result. @param {unknown} v */
const brief = (v) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s && s.length > 400 ? `${s.slice(0, 400)}…` : s ?? '';
};

/** @param {{ onRun?: () => void }} p */
export function Playground({ onRun }) {
  const turns = useSignal(/** @type {Turn[]} */ ([]));
  const busy = useSignal(false);
  const error = useSignal('');
  /** @param {SubmitEvent} e */
  const send = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const message = String(new FormData(form).get('message') ?? '').trim();
    if (!message) return;
    const history = turns.value.map(({ role, text }) => ({ role, text }));
    turns.value = [...turns.value, { role: 'customer', text: message }];
    form.reset();
    busy.value = true;
    error.value = '';
    try {
      const r = await call('POST /api/tenant/playground', { body: { message, history } });
      turns.value = [...turns.value, { role: 'agent', text: r.reply, toolCalls: r.toolCalls, provider: r.provider }];
      onRun?.();
    } catch (err) {
      error.value = `The agent could not answer: ${errorText(err)}`;
    } finally {
      busy.value = false;
    }
  };
  return html`<div class="card">
    <h2>Test your agent</h2>
    <p class="hint">Ask what a customer would ask. Tools run in test mode: nothing is booked or sent.</p>
    ${turns.value.length ? null : html`<p class="state" data-state="empty">No messages yet — try “How much is a night?”.</p>`}
    <ol class="chat" aria-live="polite" data-testid="playground-chat">
      ${turns.value.map((t) => html`<li data-role=${t.role} data-testid="playground-turn">${t.text}
        ${(t.toolCalls ?? []).map((c) => html`<div class="tool" data-testid="playground-tool-call" data-tool=${c.name}>
          <strong>${c.name}</strong>${c.dryRun ? ' (test mode)' : ''}<br /><small>Asked:</small> <code>${brief(c.args)}</code><br /><small>Result:</small> <code>${brief(c.result)}</code></div>`)}
        ${t.provider ? html`<small class="hint">Answered by ${t.provider}</small>` : null}</li>`)}
      ${busy.value ? html`<li data-role="agent" role="status">The agent is thinking…</li>` : null}
    </ol>
    <form class="row" onSubmit=${send}>
      <label>Message to your agent <input name="message" required maxlength="2000" autocomplete="off" /></label>
      <button type="submit" disabled=${busy.value}>Send</button>
    </form>
    <p class="error" role="alert">${error.value}</p>
  </div>`;
}
