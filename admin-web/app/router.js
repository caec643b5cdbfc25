// @ts-check
/**
 * History routing for the console: each section has a path under /app (deep links work on reload
 * because the server answers index.html for each, gateway/routes/web-assets.ts CONSOLE_PAGES).
 * A click on a same-origin link to a known path changes the view without a page load.
 * `/admin/inbox/channels.html` (the old staff inbox's Channels page) is kept as an alias of
 * Channels so old bookmarks and links keep working.
 */
import { computed, signal } from '/web/shared/ui.js';

/** Sections in navigation order: [key, label, path]. */
export const SECTIONS = /** @type {const} */ ([
  ['dashboard', 'Dashboard', '/app'],
  ['conversations', 'Conversations', '/app/conversations'],
  ['bookings', 'Bookings', '/app/bookings'],
  ['catalog', 'Catalog', '/app/catalog'],
  ['knowledge', 'Knowledge', '/app/knowledge'],
  ['channels', 'Channels', '/app/channels'],
  ['team', 'Team', '/app/team'],
  ['settings', 'Settings', '/app/settings'],
]);
/** @typedef {typeof SECTIONS[number][0] | 'invite' | 'reset' | 'notfound'} ViewKey */

/** @type {Record<string, ViewKey>} */
const PATHS = {
  '/app': 'dashboard',
  '/app/': 'dashboard',
  '/app/dashboard': 'dashboard',
  '/app/invite': 'invite',
  '/app/reset': 'reset',
  '/admin/inbox/channels.html': 'channels',
};
for (const [key, , p] of SECTIONS) PATHS[p] = key;

// The old inbox kept its state in the hash (`#filter=…&c=…`); such a link to /app opens Conversations.
const legacyInboxLink = () => {
  if (/^\/app\/?$/.test(location.pathname) && /(^#|&)(c|filter)=/.test(location.hash)) history.replaceState(null, '', `/app/conversations${location.search}${location.hash}`);
};
legacyInboxLink();

export const path = signal(location.pathname);
addEventListener('hashchange', () => {
  legacyInboxLink();
  path.value = location.pathname;
});
export const view = computed(() => PATHS[path.value.replace(/\/+$/, '') || '/app'] ?? PATHS[path.value] ?? 'notfound');
/** Views shown without a session. */
export const PUBLIC_VIEWS = ['invite', 'reset'];

/** Go to an in-app path (pushState); `replace` swaps the history entry instead. @param {string} href @param {boolean} [replace] */
export function navigate(href, replace = false) {
  const url = new URL(href, location.href);
  history[replace ? 'replaceState' : 'pushState'](null, '', url.pathname + url.search + url.hash);
  path.value = url.pathname;
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => (path.value = location.pathname));
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = /** @type {HTMLElement} */ (e.target).closest?.('a[href]');
  if (!(a instanceof HTMLAnchorElement) || a.target || a.origin !== location.origin) return;
  const known = PATHS[a.pathname.replace(/\/+$/, '') || '/app'] ?? PATHS[a.pathname];
  if (!known || known === 'invite' || known === 'reset') return;
  e.preventDefault();
  navigate(a.href);
});
