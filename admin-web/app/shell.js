// @ts-check
/**
 * The signed-in layout, phone first: a top bar (business, who is signed in, live dot, sign out)
 * and the section navigation — a scrollable strip under the bar on a phone, a sidebar from
 * 900 px. Links are plain <a href> (history routing in router.js).
 */
import { html, useEffect } from '/web/shared/ui.js';
import { connected, onLive } from '/web/shared/live.js';
import { SECTIONS, view } from './router.js';
import { me, role, signOut, tenant } from './session.js';

/** @param {{ children: any }} p */
export function Shell({ children }) {
  const u = me.value?.user;
  // Keep the live stream open while signed in, so the dot tells whether updates arrive.
  useEffect(() => onLive(() => {}), []);
  return html`<div class="shell">
    <header class="bar">
      <strong class="brand">${tenant.value.name || 'Aizalo'}</strong>
      <span class=${`live ${connected.value ? 'on' : ''}`} title=${connected.value ? 'Live updates on' : 'Live updates off'} aria-hidden="true">●</span>
      <span class="me">${u?.name || u?.email} · ${role.value}</span>
      <button type="button" class="link" onClick=${signOut}>Sign out</button>
    </header>
    <nav class="nav" aria-label="Sections">
      ${SECTIONS.map(([key, label, href]) => html`<a href=${href} aria-current=${view.value === key ? 'page' : undefined}>${label}</a>`)}
    </nav>
    <main class="content" id="content">${children}</main>
  </div>`;
}
