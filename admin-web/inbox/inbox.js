// The staff inbox: conversation list with filters and unread counts, conversation view with
// thread, customer profile, leads and bookings, composer, take over / hand back / assign.
// Live: any event on the tenant stream refreshes the list and the open conversation.
import { api, liveEvents } from './api.js';
import { $, el } from '../shared/dom.js';

const OWNER_LABEL = { ai: 'AI', human: 'Person', unassigned: 'Needs a person' };
const CHANNEL_LABEL = { sms: 'SMS', whatsapp: 'WhatsApp', webchat: 'Web chat' };
/** Customer display name: their name, else phone, else "Visitor <short id>" for web chat. */
const displayName = (c) => c.name || (c.handle.startsWith('web:') ? `Visitor ${c.handle.slice(4, 12)}` : c.handle);
const state = { me: null, filter: 'all', items: [], current: null, detail: null, team: [] };

async function start() {
  try {
    state.me = await api('GET', '/api/auth/me');
  } catch {
    return showLogin();
  }
  if (!state.me.tenant) return showLogin('This inbox is for a business’s staff.');
  $('login').hidden = true;
  $('app').hidden = false;
  const u = state.me.user;
  $('me').textContent = `${u.name || u.email} · ${state.me.tenant.role}`;
  const canReply = state.me.tenant.role !== 'viewer';
  for (const id of ['takeover', 'handback', 'assign', 'composer-text']) $(id).disabled = !canReply;
  document.querySelector('#composer button').disabled = !canReply;
  state.team = (await api('GET', '/api/tenant/team')).users;
  for (const m of state.team) $('assign').append(el('option', { value: m.id }, m.name));
  const fromHash = new URLSearchParams(location.hash.slice(1));
  state.filter = fromHash.get('filter') || 'all';
  await refreshList();
  if (fromHash.get('c')) await openConversation(fromHash.get('c'));
  liveEvents(onLive, (on) => $('live').classList.toggle('on', on));
}

function showLogin(message = '') {
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('POST', '/api/auth/login', { tenant: f.get('tenant').trim(), email: f.get('email').trim(), password: f.get('password') });
    await start();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});
$('logout').addEventListener('click', async () => {
  await api('POST', '/api/auth/logout').catch(() => {});
  location.reload();
});

let pending;
function onLive(ev) {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    if (state.current && (!ev.conversationId || ev.conversationId === state.current)) {
      await loadConversation();
      // The open conversation is being read: keep its unread count at zero.
      await api('POST', `/api/tenant/conversations/${state.current}/read`).catch(() => {});
    }
    await refreshList();
  }, 100);
}

async function refreshList() {
  const data = await api('GET', `/api/tenant/conversations?filter=${state.filter}`);
  state.items = data.conversations;
  for (const b of document.querySelectorAll('.filters button')) {
    b.setAttribute('aria-selected', String(b.dataset.filter === state.filter));
    b.querySelector('.count').textContent = data.counts[b.dataset.filter] ? `(${data.counts[b.dataset.filter]})` : '';
  }
  document.title = data.counts.unread ? `(${data.counts.unread}) Inbox · Aizalo` : 'Inbox · Aizalo';
  renderList();
}

function renderList() {
  const list = $('list');
  list.replaceChildren(
    ...state.items.map((c) => {
      const tags = el('span', { class: 'tags' }, el('span', { class: 'badge' }, CHANNEL_LABEL[c.channel.type] || c.channel.type));
      tags.append(el('span', { class: `badge ${c.owner}` }, c.owner === 'human' && c.assignedName ? c.assignedName : OWNER_LABEL[c.owner]));
      if (c.unread && c.id !== state.current) tags.append(el('span', { class: 'unread', 'aria-label': `${c.unread} unread` }, String(c.unread)));
      const li = el(
        'li',
        { class: 'item', role: 'option', tabindex: '-1', 'data-id': c.id, 'data-testid': 'inbox-item', 'aria-selected': String(c.id === state.current) },
        el('span', { class: 'name' }, displayName(c.customer)),
        tags,
        el('span', { class: 'snippet' }, c.lastMessage ? `${c.lastMessage.sender === 'customer' ? '' : c.lastMessage.sender + ': '}${c.lastMessage.text}` : ''),
      );
      li.addEventListener('click', () => openConversation(c.id));
      return li;
    }),
  );
  if (!state.items.length) list.append(el('li', { class: 'hint' }, 'Nothing here.'));
}

for (const b of document.querySelectorAll('.filters button'))
  b.addEventListener('click', async () => {
    state.filter = b.dataset.filter;
    history.replaceState(null, '', `#filter=${state.filter}${state.current ? `&c=${state.current}` : ''}`);
    await refreshList();
  });

async function openConversation(id) {
  state.current = id;
  history.replaceState(null, '', `#filter=${state.filter}&c=${id}`);
  $('app').classList.add('open');
  $('conv').hidden = false;
  $('empty').hidden = true;
  await loadConversation();
  await api('POST', `/api/tenant/conversations/${id}/read`).catch(() => {});
  renderList();
}

async function loadConversation() {
  const d = await api('GET', `/api/tenant/conversations/${state.current}`);
  state.detail = d;
  const c = d.conversation;
  $('conv-name').textContent = displayName(d.customer);
  $('conv-channel').textContent = CHANNEL_LABEL[d.channel.type] || d.channel.type;
  const mine = c.owner === 'human' && c.assignedUserId === state.me.user.id;
  $('conv-owner').textContent =
    c.owner === 'human' ? `Handled by ${mine ? 'you' : c.assignedName || 'a colleague'}` : c.owner === 'ai' ? 'The AI is answering' : `Needs a person${c.needsHumanReason ? ` (${c.needsHumanReason.replace(/_/g, ' ')})` : ''}`;
  $('conv-owner').dataset.owner = c.owner;
  if (state.me.tenant.role !== 'viewer') {
    $('takeover').disabled = mine;
    $('handback').disabled = c.owner === 'ai';
  }
  $('assign').value = c.assignedUserId || '';
  const thread = $('thread');
  const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
  thread.replaceChildren(
    ...d.messages.map((m) =>
      el(
        'li',
        { class: 'msg', 'data-testid': 'inbox-message', 'data-sender': m.sender, 'data-status': m.status },
        m.text,
        el('span', { class: 'meta' }, `${m.sender === 'ai' ? 'AI' : m.sender} · ${new Date(m.created_at).toLocaleTimeString()}${['sent', 'received', 'processed'].includes(m.status) ? '' : ` · ${m.status}`}`),
      ),
    ),
  );
  if (atBottom || thread.dataset.conv !== state.current) thread.scrollTop = thread.scrollHeight;
  thread.dataset.conv = state.current;
  renderProfile(d);
}

function renderProfile(d) {
  const p = $('profile');
  const rows = [
    ['Name', d.customer.name || '—'],
    ['Contact', d.customer.phone || d.customer.handle],
    ['Language', d.customer.language],
    ['Channel', `${CHANNEL_LABEL[d.channel.type] || d.channel.type} (${d.channel.address})`],
  ];
  const list = (items, fmt) => (items.length ? el('ul', {}, ...items.map((x) => el('li', {}, fmt(x)))) : el('p', { class: 'hint' }, 'None yet.'));
  p.replaceChildren(
    el('h3', {}, 'Customer'),
    ...rows.map(([k, v]) => el('div', {}, el('strong', {}, `${k}: `), String(v))),
    el('h3', {}, 'Leads'),
    list(d.leads, (l) => `${l.interest || 'Lead'} · ${l.stage}${l.value_cents ? ` · KES ${(l.value_cents / 100).toLocaleString()}` : ''}`),
    el('h3', {}, 'Bookings'),
    list(d.bookings, (b) => `${b.resource || 'Booking'} · ${new Date(b.starts_at).toLocaleString()} · ${b.status}`),
  );
}

async function act(fn) {
  $('conv-error').textContent = '';
  try {
    await fn();
    await loadConversation();
    await refreshList();
  } catch (err) {
    $('conv-error').textContent = err.message;
  }
}
const base = () => `/api/tenant/conversations/${state.current}`;
const takeOver = () => act(() => api('POST', `${base()}/takeover`));
const handBack = () => act(() => api('POST', `${base()}/handback`));
$('takeover').addEventListener('click', takeOver);
$('handback').addEventListener('click', handBack);
$('assign').addEventListener('change', (e) => e.target.value && act(() => api('POST', `${base()}/assign`, { userId: e.target.value })));
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('composer-text').value.trim();
  if (!text) return;
  act(async () => {
    await api('POST', `${base()}/messages`, { text });
    $('composer-text').value = '';
  });
});
$('composer-text').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    $('composer').requestSubmit();
  }
});
const closeConversation = () => {
  state.current = null;
  $('app').classList.remove('open');
  $('conv').hidden = true;
  $('empty').hidden = false;
  history.replaceState(null, '', `#filter=${state.filter}`);
  renderList();
  $('list').focus();
};
$('back').addEventListener('click', closeConversation);

// Keyboard: j/k move through the list, Enter opens, t/h take over / hand back, r replies, Esc goes back.
document.addEventListener('keydown', (e) => {
  if ($('app').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName);
  if (e.key === 'Escape') return typing ? document.activeElement.blur() : closeConversation();
  if (typing) return;
  const items = [...document.querySelectorAll('.item')];
  const at = items.indexOf(document.activeElement);
  if (e.key === 'j' || e.key === 'ArrowDown') items[Math.min(at + 1, items.length - 1)]?.focus();
  else if (e.key === 'k' || e.key === 'ArrowUp') items[Math.max(at - 1, 0)]?.focus();
  else if (e.key === 'Enter' && at >= 0) openConversation(items[at].dataset.id);
  else if (e.key === 't' && state.current && !$('takeover').disabled) takeOver();
  else if (e.key === 'h' && state.current && !$('handback').disabled) handBack();
  else if (e.key === 'r' && state.current) $('composer-text').focus();
  else return;
  e.preventDefault();
});

start();
