// Admin shell: sign-in, navigation (hash routes), and which views a role may see.
import { api, $, esc } from './api.js';
import { renderOverview } from './overview.js';
import { renderTenants } from './tenants.js';
import { renderSales } from './sales.js';

let me;
const views = { overview: renderOverview, tenants: renderTenants, sales: renderSales };

async function boot() {
  try {
    me = (await api('GET', '/api/auth/me')).user;
  } catch {
    me = undefined;
  }
  if (!me || me.userType !== 'platform') return showLogin(me ? 'This admin is for platform users; business staff use the inbox.' : '');
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').textContent = `${me.email} (${me.role})`;
  // Sales reps have no platform metrics: their home is their own tenants.
  document.querySelector('[data-nav="overview"]').hidden = me.role === 'sales';
  route();
}

function showLogin(message) {
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

function route() {
  const fallback = me.role === 'sales' ? 'tenants' : 'overview';
  const [, name = fallback, arg] = location.hash.split('/');
  const view = views[name] && !(name === 'overview' && me.role === 'sales') ? name : fallback;
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === view));
  const el = $('view');
  el.innerHTML = '<p class="muted">Loading…</p>';
  views[view](el, me, arg).catch((err) => {
    if (err.status === 401) return showLogin('Your session ended; sign in again.');
    el.innerHTML = `<p class="error">${esc(err.message)}</p>`;
  });
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('POST', '/api/auth/login', { email: f.get('email').trim(), password: f.get('password') });
    await boot();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});
$('logout').addEventListener('click', async () => {
  await api('POST', '/api/auth/logout').catch(() => {});
  showLogin('');
});
window.addEventListener('hashchange', () => me && route());
boot();
