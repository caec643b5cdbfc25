// @ts-check
/**
 * Conversations: the staff inbox inside the console (ported from admin-web/inbox/, every
 * data-testid kept — test/e2e/inbox.e2e.test.ts, whatsapp-link.e2e.test.ts). A list with filters
 * and unread counts; the open conversation (thread, customer, leads, bookings, composer, take
 * over / hand back / assign) beside it, or instead of it on a phone. State in the URL hash
 * `#filter=…&c=<uuid>`; a `c` that is not a UUID is refused before any request (issue 14 #5).
 * Live: message/ownership/needs_attention events refresh the list and the open conversation.
 * Keys: j/k move, Enter opens, t take over, h hand back, r reply, Esc back.
 */
import { html, signal, useEffect } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';
import { isUuid } from '/web/shared/api-path.js';
import { onLive } from '/web/shared/live.js';
import { CHANNEL_LABEL, ConversationPane, conv, displayName, handBack, loadConversation, takeOver } from './conversation-pane.js';

const OWNER_LABEL = { ai: 'AI', human: 'Person', unassigned: 'Needs a person' };
/** @type {Array<[import('../../types/console-api.js').InboxFilter, string]>} */
const FILTERS = [['needs_human', 'Needs a person'], ['mine', 'Mine'], ['ai', 'AI'], ['all', 'All']];

const filter = signal(/** @type {import('../../types/console-api.js').InboxFilter} */ ('all'));
const list = signal(/** @type {{ state: 'loading' | 'ready' | 'error', data?: import('../../types/console-api.js').InboxList, error?: string }} */ ({ state: 'loading' }));

const writeHash = () => history.replaceState(null, '', `${location.pathname}${location.search}#filter=${filter.value}${conv.id.value ? `&c=${conv.id.value}` : ''}`);

async function refreshList() {
  try {
    const data = await call('GET /api/tenant/conversations', { query: { filter: filter.value } });
    list.value = { state: 'ready', data };
    document.title = data.counts.unread ? `(${data.counts.unread}) Conversations · Aizalo` : 'Conversations · Aizalo';
  } catch (err) {
    list.value = { state: 'error', error: errorText(err), data: list.value.data };
  }
}

/** Open a conversation by id (from a click or the URL). @param {string} id */
async function open(id) {
  if (!isUuid(id)) {
    conv.error.value = 'That conversation link is not valid.';
    return;
  }
  conv.id.value = id;
  writeHash();
  await loadConversation();
  await call('POST /api/tenant/conversations/:id/read', { params: { id } }).catch(() => {});
  await refreshList();
}

function close() {
  conv.id.value = null;
  conv.detail.value = null;
  writeHash();
  /** @type {HTMLElement | null} */ (document.querySelector('.list'))?.focus();
}

/** @param {KeyboardEvent} e */
function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(active?.tagName ?? '');
  if (e.key === 'Escape') return typing ? active?.blur() : close();
  if (typing) return;
  const items = /** @type {HTMLElement[]} */ (Array.from(document.querySelectorAll('.inbox .item')));
  const at = items.indexOf(/** @type {HTMLElement} */ (active));
  const id = conv.id.value;
  if (e.key === 'j' || e.key === 'ArrowDown') items[Math.min(at + 1, items.length - 1)]?.focus();
  else if (e.key === 'k' || e.key === 'ArrowUp') items[Math.max(at - 1, 0)]?.focus();
  else if (e.key === 'Enter' && at >= 0) void open(items[at]?.dataset.id ?? '');
  else if (e.key === 't' && id && !isDisabled('inbox-takeover')) void takeOver(refreshList);
  else if (e.key === 'h' && id && !isDisabled('inbox-handback')) void handBack(refreshList);
  else if (e.key === 'r' && id) /** @type {HTMLElement | null} */ (document.querySelector('[data-testid="inbox-composer"]'))?.focus();
  else return;
  e.preventDefault();
}
/** @param {string} testid */
const isDisabled = (testid) => /** @type {HTMLButtonElement | null} */ (document.querySelector(`[data-testid="${testid}"]`))?.disabled ?? true;

export function View() {
  useEffect(() => {
    const h = new URLSearchParams(location.hash.slice(1));
    const f = h.get('filter');
    filter.value = FILTERS.some(([k]) => k === f) ? /** @type {any} */ (f) : 'all';
    conv.id.value = null;
    conv.detail.value = null;
    conv.error.value = '';
    void refreshList().then(() => {
      const c = h.get('c');
      if (c) void open(c);
    });
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let pending;
    const off = onLive((type, ev) => {
      if (!['message', 'ownership', 'needs_attention'].includes(type)) return;
      clearTimeout(pending);
      pending = setTimeout(async () => {
        const id = conv.id.value;
        if (id && (!ev?.conversationId || ev.conversationId === id)) {
          await loadConversation();
          // The open conversation is being read: keep its unread count at zero.
          await call('POST /api/tenant/conversations/:id/read', { params: { id } }).catch(() => {});
        }
        await refreshList();
      }, 100);
    });
    document.addEventListener('keydown', onKey);
    return () => {
      off();
      clearTimeout(pending);
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  const l = list.value;
  const counts = l.data?.counts;
  const items = l.data?.conversations ?? [];
  const current = conv.id.value;
  return html`<div class=${`inbox ${current ? 'open' : ''}`}>
    <div class="inbox-head">
      <h1>Conversations</h1>
      <a href="/admin/inbox/channels.html" class="link" data-testid="nav-channels">Channels</a>
    </div>
    <section class="list-pane" aria-label="Conversation list">
      <nav class="filters" role="tablist" aria-label="Filter conversations">
        ${FILTERS.map(([key, label]) => html`<button type="button" role="tab" aria-selected=${String(filter.value === key)} data-testid=${`inbox-filter-${key}`}
          onClick=${() => { filter.value = key; writeHash(); void refreshList(); }}>${label} <span class="count">${counts?.[key] ? `(${counts[key]})` : ''}</span></button>`)}
      </nav>
      ${l.state === 'loading' && !l.data ? html`<p class="state" role="status">Loading conversations…</p>` : null}
      ${l.state === 'error' ? html`<p class="state error" role="alert">Could not load conversations: ${l.error} <button type="button" onClick=${refreshList}>Try again</button></p>` : null}
      <ul class="list" role="listbox" aria-label="Conversations" tabindex="0">
        ${items.map((c) => html`<li key=${c.id} class="item" role="option" tabindex="-1" data-id=${c.id} data-testid="inbox-item" aria-selected=${String(c.id === current)} onClick=${() => open(c.id)}>
          <span class="name">${displayName(c.customer)}</span>
          <span class="tags"><span class="badge">${CHANNEL_LABEL[c.channel.type] ?? c.channel.type}</span>
            <span class=${`badge ${c.owner}`}>${c.owner === 'human' && c.assignedName ? c.assignedName : OWNER_LABEL[c.owner]}</span>
            ${c.unread && c.id !== current ? html`<span class="unread" aria-label=${`${c.unread} unread`}>${c.unread}</span>` : null}</span>
          <span class="snippet">${c.lastMessage ? `${c.lastMessage.sender === 'customer' ? '' : `${c.lastMessage.sender}: `}${c.lastMessage.text}` : ''}</span>
        </li>`)}
        ${l.state === 'ready' && !items.length ? html`<li class="state" data-state="empty">Nothing here.</li>` : null}
      </ul>
      ${items.length >= 100 ? html`<p class="hint">Showing the 100 most recent conversations.</p>` : null}
      <p class="hint">Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>t</kbd> take over · <kbd>h</kbd> hand back · <kbd>r</kbd> reply · <kbd>Esc</kbd> back</p>
    </section>
    ${current ? html`<${ConversationPane} onBack=${close} onChanged=${refreshList} />` : html`<section class="empty">${conv.error.value ? html`<p class="error" role="alert">${conv.error.value}</p>` : 'Pick a conversation.'}</section>`}
  </div>`;
}
