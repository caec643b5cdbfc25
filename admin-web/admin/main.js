// @ts-check
/**
 * The platform admin's entry point (/admin): sign-in, the shell with its navigation, and the
 * hash router (#/overview, #/tenants, #/tenants/<id>, #/sales, #/payments, #/llm). Which views a
 * role sees follows the API's permissions (core/services/tenancy/permissions.ts): sales reps have
 * no platform metrics, so their home is their own tenants; money views are for owners and admins.
 */
import { html, render, signal } from '/web/shared/ui.js';
import { call } from './api.js';
import { endSession, me } from './session.js';
import { Login } from './login.js';
import { Overview } from './overview.js';
import { Tenants } from './tenants.js';
import { TenantDetail } from './tenant-detail.js';
import { Sales } from './sales.js';
import { Payments } from './payments.js';
import { LlmUsage } from './llm-usage.js';

/** @typedef {import('./types.d.ts').Me} Me */
/** @typedef {{ me: Me, arg?: string }} ViewProps */

/** @type {Array<{ id: string, label: string, roles: string[], view: (p: ViewProps) => unknown }>} */
const NAV = [
  { id: 'overview', label: 'Overview', roles: ['owner', 'admin', 'support'], view: Overview },
  { id: 'tenants', label: 'Tenants', roles: ['owner', 'admin', 'support', 'sales'], view: Tenants },
  { id: 'sales', label: 'Sales team', roles: ['owner', 'admin', 'sales'], view: Sales },
  { id: 'payments', label: 'Payments', roles: ['owner', 'admin'], view: Payments },
  { id: 'llm', label: 'LLM usage', roles: ['owner', 'admin'], view: LlmUsage },
];

const hash = signal(location.hash);
window.addEventListener('hashchange', () => (hash.value = location.hash));

/** Load the session; anyone but a platform user gets the sign-in form. */
export async function boot() {
  try {
    /** @type {{ user: Me }} */
    const r = await call('GET', '/api/auth/me');
    if (r.user.userType === 'platform') me.value = r.user;
    else endSession('This admin is for platform users; business staff use the inbox.');
  } catch {
    endSession('');
  }
}

async function signOut() {
  await call('POST', '/api/auth/logout').catch(() => undefined);
  endSession('');
}

/** @param {{ user: Me }} props */
function Shell({ user }) {
  const [, name, arg] = hash.value.split('/');
  const allowed = NAV.filter((n) => n.roles.includes(user.role));
  const current = allowed.find((n) => n.id === name) ?? allowed[0];
  const View = current && current.id === 'tenants' && arg ? TenantDetail : current?.view;
  return html`
    <header class="top">
      <strong class="brand">Aizalo</strong>
      <nav aria-label="Admin">
        ${allowed.map(
          (n) =>
            html`<a href=${`#/${n.id}`} class=${n === current ? 'active' : ''} aria-current=${n === current ? 'page' : undefined} data-testid=${`nav-${n.id}`}>${n.label}</a>`,
        )}
        <a href="/admin/inbox">Inbox</a>
      </nav>
      <span class="who muted" data-testid="who">${user.email} (${user.role})</span>
      <button type="button" class="link" onClick=${signOut}>Sign out</button>
    </header>
    <main id="view">
      ${View ? html`<${View} key=${`${current?.id}/${arg ?? ''}`} me=${user} arg=${arg} />` : html`<p class="error">No admin view is open to the role ${user.role}.</p>`}
    </main>`;
}

function App() {
  const user = me.value;
  if (user === undefined) return html`<p class="muted boot" role="status">Loading…</p>`;
  if (user === null) return html`<${Login} onSignedIn=${boot} />`;
  return html`<${Shell} user=${user} />`;
}

const root = document.getElementById('root');
if (root) render(html`<${App} />`, root);
boot();
