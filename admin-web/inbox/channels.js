// Channels: each of the business's channels with its status; for a WhatsApp number that is
// linking, the QR code (rendered by the server, GET /api/tenant/channels/:id/link) and a
// "link with phone number" form that shows the pairing code. Admins and owners link; everyone
// else sees statuses. Live: WhatsApp events on the tenant stream refresh at once, and while a
// number is linking the link state is also polled every 2.5 s (QR codes rotate about every 20 s).
import { api } from './api.js';
import { $, el } from '../shared/dom.js';

const TYPE_LABEL = { sms: 'SMS', whatsapp: 'WhatsApp', webchat: 'Web chat' };
const STATUS_LABEL = {
  active: 'Active', idle: 'Not linked', standby: 'Connecting', linking: 'Waiting to be linked', connecting: 'Connecting',
  connected: 'Connected', reconnecting: 'Reconnecting', logged_out: 'Logged out', stopped: 'Stopped',
};
const POLL_MS = 2500;
const cards = new Map();
let canLink = false;
let timer;

async function start() {
  let me;
  try {
    me = await api('GET', '/api/auth/me');
  } catch {
    location.href = '/admin/inbox';
    return;
  }
  if (!me.tenant) return void ($('page-error').textContent = 'Channels are for a business’s staff.');
  $('me').textContent = `${me.user.name || me.user.email} · ${me.tenant.role}`;
  canLink = ['admin', 'owner'].includes(me.tenant.role);
  await refresh();
  const es = new EventSource('/api/tenant/events');
  es.onopen = () => $('live').classList.add('on');
  es.onerror = () => $('live').classList.remove('on');
  for (const type of ['whatsappstatus', 'whatsappqr', 'whatsapppairing_code']) es.addEventListener(type, () => void refresh());
}

/** Reload the list (and the link state of WhatsApp numbers that are linking). */
async function refresh() {
  clearTimeout(timer);
  try {
    const { channels } = await api('GET', '/api/tenant/channels');
    $('page-error').textContent = '';
    const list = $('channels');
    for (const ch of channels) {
      if (!cards.has(ch.id)) cards.set(ch.id, makeCard(ch));
      const card = cards.get(ch.id);
      if (card.li.parentNode !== list) list.append(card.li); // moving a node would drop focus
      await card.update(ch);
    }
    if (!channels.length) list.replaceChildren(el('li', { class: 'hint' }, 'No channels yet.'));
    const linking = channels.some((c) => c.link?.status === 'linking');
    if (linking) timer = setTimeout(refresh, POLL_MS);
  } catch (err) {
    $('page-error').textContent = err.message;
    timer = setTimeout(refresh, POLL_MS * 2);
  }
}

function makeCard(ch) {
  const badge = el('span', { class: 'badge', 'data-testid': 'channel-status' });
  const li = el(
    'li',
    { class: 'channel', 'data-testid': 'channel', 'data-id': ch.id, 'data-type': ch.type },
    el('div', { class: 'head' }, el('strong', {}, TYPE_LABEL[ch.type] || ch.type), el('span', { class: 'addr' }, ch.address), badge),
  );
  if (ch.type !== 'whatsapp' || !canLink) return { li, update: async (c) => setBadge(badge, li, c.link?.status ?? c.status, c.link?.reason) };

  const box = el('div', { class: 'link-box' });
  const qr = el('img', { class: 'qr', alt: 'WhatsApp QR code: scan it to link this number', 'data-testid': 'channel-qr' });
  const steps = el('ol', { class: 'steps' },
    el('li', {}, 'On the business phone open WhatsApp → Settings → Linked devices → Link a device.'),
    el('li', {}, 'Scan this code, or choose “Link with phone number instead” and use the form below.'));
  const phone = el('input', { name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: '', placeholder: '+254712345678', 'data-testid': 'channel-phone' });
  const form = el('form', { class: 'pair', 'aria-label': 'Link with phone number' },
    el('label', {}, 'Link with phone number', phone),
    el('button', { type: 'submit', 'data-testid': 'channel-pair' }, 'Get pairing code'));
  const code = el('output', { class: 'code', 'data-testid': 'channel-pairing-code', 'aria-live': 'polite' });
  const relink = el('button', { type: 'button', 'data-testid': 'channel-link' }, 'Link WhatsApp');
  const err = el('p', { class: 'error', role: 'alert' });
  box.append(qr, steps, form, code, relink, err);
  li.append(box);

  const show = (view) => {
    const linking = view.status === 'linking';
    qr.hidden = !view.qr;
    if (view.qr && qr.getAttribute('src') !== view.qr) qr.src = view.qr;
    steps.hidden = form.hidden = !linking;
    code.hidden = !view.pairingCode;
    code.value = view.pairingCode ? view.pairingCode.replace(/^(.{4})(.{4})$/, '$1-$2') : '';
    relink.hidden = linking || ['connected', 'connecting', 'reconnecting', 'standby'].includes(view.status);
    setBadge(badge, li, view.status, view.reason);
  };
  const act = async (fn) => {
    err.textContent = '';
    try {
      show(await fn());
      clearTimeout(timer);
      timer = setTimeout(refresh, POLL_MS);
    } catch (e) {
      err.textContent = e.message;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(() => api('POST', `/api/tenant/channels/${ch.id}/pairing-code`, { phone: phone.value.replace(/[\s-]/g, '') }));
  });
  relink.addEventListener('click', () => act(() => api('POST', `/api/tenant/channels/${ch.id}/link`)));
  return {
    li,
    async update(c) {
      show(c.link.status === 'linking' ? await api('GET', `/api/tenant/channels/${ch.id}/link`) : c.link);
    },
  };
}

function setBadge(badge, li, status, reason) {
  badge.className = `badge ${status}`;
  badge.textContent = STATUS_LABEL[status] || status;
  badge.title = reason ? String(reason).replace(/_/g, ' ') : '';
  li.dataset.status = status;
}

start();
