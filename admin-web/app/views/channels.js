// @ts-check
/**
 * Channels: the business's numbers with their status (WhatsApp linking in whatsapp-link.js),
 * enable / disable / remove, adding an SMS number (Twilio or Africa's Talking — the webhook URL
 * to paste into the provider is shown once, with a copy button) or a WhatsApp number, and the
 * web-chat embed snippet with a copy button and a live preview (an iframe of /chat/SLUG).
 * Writes need `settings` (owner/admin); other roles see statuses only.
 */
import { html, signal, useEffect, useSignal } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { onLive } from '/web/shared/live.js';
import { attempt, copyText, ListState, loadable, Notice, Pager, pageOf } from '/web/shared/components.js';
import { can } from '../session.js';
import { ChannelCard } from './whatsapp-link.js';
import { AddSms } from './channel-add.js';

const PAGE = 20;
const channels = loadable(async () => (await call('GET /api/tenant/channels')).channels);
const webchat = loadable(() => call('GET /api/tenant/webchat'));
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));

/** @param {{ ch: import('../../types/console-api.js').Channel }} p */
function ChannelActions({ ch }) {
  const enabled = ch.enabled !== false;
  const toggle = () => attempt(note, async () => {
    await call('PATCH /api/tenant/channels/:id', { params: { id: ch.id }, body: { enabled: !enabled } });
    await channels.reload();
  }, enabled ? `${ch.address} disabled: the AI stops answering it.` : `${ch.address} enabled.`);
  const remove = () => confirm(`Remove ${ch.address}? Messages to it will no longer arrive.`) && attempt(note, async () => {
    await call('DELETE /api/tenant/channels/:id', { params: { id: ch.id } });
    await channels.reload();
  }, `${ch.address} removed.`);
  return html`<div class="actions">
    <button type="button" onClick=${toggle}>${enabled ? 'Disable' : 'Enable'}</button>
    <button type="button" class="danger" onClick=${remove}>Remove</button>
  </div>`;
}

function WebChat() {
  const copied = useSignal('');
  const w = webchat.s.value;
  if (w.state === 'loading') return html`<p class="state" role="status">Loading the embed snippet…</p>`;
  if (w.state === 'error' || !w.data) return html`<p class="state error" role="alert">Could not load the embed snippet: ${w.error}</p>`;
  const { snippet, chatUrl } = w.data;
  const copy = async () => (copied.value = (await copyText(snippet)) ? 'Snippet copied.' : 'Copy failed: select the text and copy it.');
  return html`<div class="grid">
    <p class="hint">Paste this into your website’s HTML, just before <code>${'</body>'}</code>:</p>
    <pre class="snippet" data-testid="webchat-snippet">${snippet}</pre>
    <div class="actions"><button type="button" onClick=${copy}>Copy snippet</button> <a href=${chatUrl} target="_blank" rel="noopener">Open the chat page</a></div>
    <p class="notice ok" role="status">${copied.value}</p>
    <iframe class="preview" src=${new URL(chatUrl, location.href).pathname} title="Web chat preview" data-testid="webchat-preview"></iframe>
  </div>`;
}

export function View() {
  const page = useSignal(1);
  const writer = can('settings');
  useEffect(() => {
    void channels.reload();
    void webchat.reload();
    return onLive((type) => type === 'whatsapp.status' && void channels.reload());
  }, []);
  /** @param {import('../../types/console-api.js').NewChannel} body */
  const added = async (body) => {
    const r = await call('POST /api/tenant/channels', { body });
    await channels.reload();
    return r;
  };
  return html`<section>
    <h1>Channels</h1>
    <${Notice} note=${note} />
    <${ListState} load=${channels.s} empty="No channels yet. Add an SMS number or link WhatsApp below." label="channels" retry=${channels.reload}>
      ${(/** @type {import('../../types/console-api.js').Channel[]} */ all) => {
        const { rows, hasMore } = pageOf(all, page.value, PAGE);
        return html`<ul class="items channels" aria-label="Channels" aria-live="polite">
          ${rows.map((ch) => html`<${ChannelCard} key=${ch.id} ch=${ch} canLink=${writer}>${writer ? html`<${ChannelActions} ch=${ch} />` : null}<//>`)}
        </ul><${Pager} page=${page.value} hasMore=${hasMore} onPage=${(/** @type {number} */ n) => (page.value = n)} label="Channel pages" />`;
      }}
    <//>
    ${writer ? html`<div class="two"><div><h2>Add an SMS number</h2><${AddSms} add=${added} /></div>
      <div><h2>Add WhatsApp</h2><p class="hint">Adds a WhatsApp number; then link it with the QR code or a pairing code above.</p>
        <button type="button" onClick=${() => attempt(note, () => added({ type: 'whatsapp' }), 'WhatsApp number added: link it above.')}>Add a WhatsApp number</button></div></div>` : null}
    <h2>Web chat on your website</h2>
    <${WebChat} />
  </section>`;
}
