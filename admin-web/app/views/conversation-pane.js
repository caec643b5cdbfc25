// @ts-check
/**
 * One open conversation in the Conversations view: header (who, channel, owner, take over / hand
 * back / assign), the thread, the customer panel (#profile: contact, leads, bookings — times in
 * the tenant's timezone) and the composer (Enter sends, Shift+Enter a new line). Staff, admins
 * and owners may act; a viewer sees the same controls disabled.
 */
import { html, signal, useEffect, useRef } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';
import { dateTimeIn, kes, timeIn } from '/web/shared/format.js';
import { can, me, tenant } from '../session.js';

export const CHANNEL_LABEL = /** @type {Record<string, string>} */ ({ sms: 'SMS', whatsapp: 'WhatsApp', webchat: 'Web chat' });
/** Customer display name: their name, else phone, else "Visitor <short id>" for web chat. @param {{ name: string | null, handle: string }} c */
export const displayName = (c) => c.name || (c.handle.startsWith('web:') ? `Visitor ${c.handle.slice(4, 12)}` : c.handle);

/** The open conversation's state (shared with conversations.js). */
export const conv = {
  id: signal(/** @type {string | null} */ (null)),
  detail: signal(/** @type {import('../../types/console-api.js').InboxConversation | null} */ (null)),
  error: signal(''),
};

export async function loadConversation() {
  const id = conv.id.value;
  if (!id) return;
  try {
    const d = await call('GET /api/tenant/conversations/:id', { params: { id } });
    if (conv.id.value === id) conv.detail.value = d;
  } catch (err) {
    conv.error.value = errorText(err);
  }
}

/** Run an action on the open conversation, then reload it and the list. @param {(id: string) => Promise<unknown>} fn @param {() => Promise<void>} after */
async function act(fn, after) {
  const id = conv.id.value;
  if (!id) return;
  conv.error.value = '';
  try {
    await fn(id);
    await loadConversation();
    await after();
  } catch (err) {
    conv.error.value = errorText(err);
  }
}
/** @param {() => Promise<void>} after */
export const takeOver = (after) => act((id) => call('POST /api/tenant/conversations/:id/takeover', { params: { id } }), after);
/** @param {() => Promise<void>} after */
export const handBack = (after) => act((id) => call('POST /api/tenant/conversations/:id/handback', { params: { id } }), after);

const team = signal(/** @type {import('../../types/console-api.js').TeamMember[]} */ ([]));
let teamLoaded = false;

/** @param {{ onBack: () => void, onChanged: () => Promise<void> }} p */
export function ConversationPane({ onBack, onChanged }) {
  const thread = useRef(/** @type {HTMLOListElement | null} */ (null));
  const shownFor = useRef(/** @type {string | null} */ (null));
  const d = conv.detail.value;
  const tz = tenant.value.timezone;
  const canReply = can('reply');
  useEffect(() => {
    if (teamLoaded) return;
    teamLoaded = true;
    call('GET /api/tenant/team').then((r) => (team.value = r.users), () => (teamLoaded = false));
  }, []);
  // Keep the thread scrolled to the newest message when it was at the bottom (or newly opened).
  const el = thread.current;
  const atBottom = !el || el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  useEffect(() => {
    const t = thread.current;
    if (t && (atBottom || shownFor.current !== conv.id.value)) t.scrollTop = t.scrollHeight;
    shownFor.current = conv.id.value;
  });

  if (!d) return html`<section class="conv-pane" id="conv" aria-label="Conversation"><p class="state" role="status">Loading the conversation…</p>
    ${conv.error.value ? html`<p class="error" role="alert">${conv.error.value}</p>` : null}</section>`;
  const c = d.conversation;
  const mine = c.owner === 'human' && c.assignedUserId === me.value?.user.id;
  const ownerText = c.owner === 'human' ? `Handled by ${mine ? 'you' : c.assignedName || 'a colleague'}`
    : c.owner === 'ai' ? 'The AI is answering' : `Needs a person${c.needsHumanReason ? ` (${c.needsHumanReason.replace(/_/g, ' ')})` : ''}`;
  /** @param {SubmitEvent} e */
  const send = (e) => {
    e.preventDefault();
    const box = /** @type {HTMLTextAreaElement} */ (/** @type {HTMLFormElement} */ (e.target).elements.namedItem('text'));
    const text = box.value.trim();
    if (!text) return;
    void act(async (id) => {
      await call('POST /api/tenant/conversations/:id/messages', { params: { id }, body: { text } });
      box.value = '';
    }, onChanged);
  };
  /** @param {KeyboardEvent} e */
  const enterSends = (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      /** @type {HTMLTextAreaElement} */ (e.target).form?.requestSubmit();
    }
  };
  return html`<section class="conv-pane" id="conv" aria-label="Conversation">
    <header class="conv-head">
      <button type="button" class="back" onClick=${onBack} aria-label="Back to the list">← Back</button>
      <div class="who"><strong>${displayName(d.customer)}</strong> <span class="badge">${CHANNEL_LABEL[d.channel.type] ?? d.channel.type}</span><br />
        <small data-testid="inbox-owner" data-owner=${c.owner}>${ownerText}</small></div>
      <div class="actions">
        <button type="button" data-testid="inbox-takeover" disabled=${!canReply || mine} onClick=${() => takeOver(onChanged)}>Take over</button>
        <button type="button" data-testid="inbox-handback" disabled=${!canReply || c.owner === 'ai'} onClick=${() => handBack(onChanged)}>Hand back to AI</button>
        <label class="assign">Assign <select data-testid="inbox-assign" disabled=${!canReply} value=${c.assignedUserId ?? ''}
          onChange=${(/** @type {Event} */ e) => { const v = /** @type {HTMLSelectElement} */ (e.target).value; if (v) void act((id) => call('POST /api/tenant/conversations/:id/assign', { params: { id }, body: { userId: v } }), onChanged); }}>
          <option value="">—</option>${team.value.map((m) => html`<option value=${m.id}>${m.name}</option>`)}</select></label>
      </div>
    </header>
    <div class="conv-body">
      <ol class="thread" aria-live="polite" ref=${thread}>
        ${d.messages.map((m) => html`<li key=${m.id} class="msg" data-testid="inbox-message" data-sender=${m.sender} data-status=${m.status}>${m.text}<span class="meta">${m.sender === 'ai' ? 'AI' : m.sender} · <time datetime=${m.created_at}>${timeIn(m.created_at, tz)}</time>${['sent', 'received', 'processed'].includes(m.status) ? '' : ` · ${m.status}`}</span></li>`)}
      </ol>
      <aside class="profile" id="profile" aria-label="Customer">
        <h3>Customer</h3>
        <div><strong>Name: </strong>${d.customer.name || '—'}</div>
        <div><strong>Contact: </strong>${d.customer.phone || d.customer.handle}</div>
        <div><strong>Language: </strong>${d.customer.language ?? '—'}</div>
        <div><strong>Channel: </strong>${CHANNEL_LABEL[d.channel.type] ?? d.channel.type} (${d.channel.address})</div>
        <h3>Leads</h3>
        ${d.leads.length ? html`<ul>${d.leads.map((l) => html`<li>${l.interest || 'Lead'} · ${l.stage}${l.value_cents ? ` · ${kes(l.value_cents)}` : ''}</li>`)}</ul>` : html`<p class="hint">None yet.</p>`}
        <h3>Bookings</h3>
        ${d.bookings.length ? html`<ul>${d.bookings.map((b) => html`<li>${b.resource || 'Booking'} · ${dateTimeIn(b.starts_at, tz)} · ${b.status}</li>`)}</ul>` : html`<p class="hint">None yet.</p>`}
      </aside>
    </div>
    <form class="composer" onSubmit=${send}>
      <label class="sr-only" for="composer-text">Reply</label>
      <textarea id="composer-text" name="text" data-testid="inbox-composer" rows="2" maxlength="2000" disabled=${!canReply} onKeyDown=${enterSends}
        placeholder="Reply to the customer… (Enter sends, Shift+Enter for a new line)"></textarea>
      <button type="submit" class="primary" data-testid="inbox-send" disabled=${!canReply}>Send</button>
    </form>
    <p class="error" role="alert">${conv.error.value}</p>
  </section>`;
}
