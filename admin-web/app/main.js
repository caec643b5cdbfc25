// @ts-check
/**
 * The tenant console's entry point (/app): loads the session, then shows the sign-in form, a
 * public page (invite acceptance, password reset) or the shell with the current section.
 * Views are loaded on demand (dynamic import), so the first view needs only its own module.
 */
import { html, render, useEffect, useState } from '/web/shared/ui.js';
import { loadSession, me, status } from './session.js';
import { PUBLIC_VIEWS, view } from './router.js';
import { Shell } from './shell.js';
import { SignIn } from './sign-in.js';

/** View key → module under ./views/ (each exports `View`). */
const MODULES = {
  dashboard: './views/dashboard.js',
  conversations: './views/conversations.js',
  bookings: './views/bookings.js',
  catalog: './views/catalog.js',
  knowledge: './views/knowledge.js',
  channels: './views/channels.js',
  team: './views/team.js',
  settings: './views/settings.js',
  invite: './views/invite.js',
  reset: './views/reset.js',
  notfound: './views/not-found.js',
};

/** Imports the view module for `key` and renders its View. @param {{ name: keyof typeof MODULES }} p */
function Lazy({ name }) {
  const [mod, setMod] = useState(/** @type {{ name: string, View: any } | null} */ (null));
  const [failed, setFailed] = useState('');
  useEffect(() => {
    let live = true;
    import(MODULES[name]).then(
      (m) => live && setMod({ name, View: m.View }),
      (e) => live && setFailed(String(e?.message ?? e)),
    );
    return () => void (live = false);
  }, [name]);
  if (failed) return html`<p class="state error" role="alert">This section failed to load: ${failed}</p>`;
  if (!mod || mod.name !== name) return html`<p class="state" role="status">Loading…</p>`;
  return html`<${mod.View} />`;
}

function App() {
  const v = view.value;
  if (PUBLIC_VIEWS.includes(v)) return html`<main class="public"><${Lazy} name=${v} /></main>`;
  if (status.value === 'loading') return html`<p class="state" role="status">Loading…</p>`;
  if (status.value === 'out') return html`<${SignIn} />`;
  if (!me.value?.tenant)
    return html`<main class="public"><div class="card"><h1>Aizalo console</h1>
      <p role="alert">This console is for a business’s staff. Platform staff use <a href="/admin">the platform admin</a>.</p></div></main>`;
  return html`<${Shell}><${Lazy} key=${v} name=${v} /><//>`;
}

// Fetch the current section's module while the session loads (both are on the first view's path).
void import(MODULES[view.value] ?? MODULES.notfound).catch(() => {});
const root = document.getElementById('root');
if (root) render(html`<${App} />`, root);
void loadSession();
