// @ts-check
/**
 * Small building blocks every console view uses, so each list has the same loading / empty /
 * error states and each write the same success/error message:
 *   <${ListState} load=${resource} empty="No items yet.">${items => ...}<//>
 *   <${Notice} note=${note} />     note = signal({ kind: 'ok' | 'error', text })
 *   <${Pager} page=${page} more=${hasMore} onPage=${fn} />
 */
import { html, signal } from './ui.js';
import { errorText } from './api.js';

/**
 * @template T
 * @typedef {{ state: 'loading' | 'ready' | 'error', data?: T, error?: string }} Loadable
 */

/**
 * A signal holding a Loadable and a `reload` that runs `fetcher` into it.
 * @template T @param {() => Promise<T>} fetcher
 */
export function loadable(fetcher) {
  const s = signal(/** @type {Loadable<T>} */ ({ state: 'loading' }));
  const reload = async () => {
    try {
      const data = await fetcher();
      s.value = { state: 'ready', data };
    } catch (err) {
      s.value = { state: 'error', error: errorText(err), data: s.value.data };
    }
  };
  return { s, reload };
}

/**
 * Renders loading / error / empty, else `children(data)`.
 * @param {{ load: { value: Loadable<any[]> }, empty: string, label?: string, children: (items: any[]) => any, retry?: () => void }} p
 */
export function ListState({ load, empty, children, retry, label }) {
  const l = load.value;
  if (l.state === 'loading' && !l.data) return html`<p class="state" role="status" data-state="loading">Loading${label ? ` ${label}` : ''}…</p>`;
  if (l.state === 'error')
    return html`<div class="state error" role="alert" data-state="error">Could not load${label ? ` ${label}` : ''}: ${l.error}
      ${retry ? html` <button type="button" onClick=${retry}>Try again</button>` : null}</div>`;
  const items = l.data ?? [];
  if (!items.length) return html`<p class="state" data-state="empty">${empty}</p>`;
  return children(items);
}

/** @typedef {{ kind: 'ok' | 'error', text: string } | null} Note */

/** A success or error message for the last write. @param {{ note: { value: Note } }} p */
export function Notice({ note }) {
  const n = note.value;
  if (!n) return html`<p class="notice" aria-live="polite"></p>`;
  return html`<p class=${`notice ${n.kind}`} role=${n.kind === 'error' ? 'alert' : 'status'} data-testid="notice">${n.text}</p>`;
}

/**
 * Run a write, then put `ok` or the error into `note`. Resolves true when it worked.
 * @param {{ value: Note }} note @param {() => Promise<unknown>} fn @param {string} ok
 */
export async function attempt(note, fn, ok) {
  note.value = null;
  try {
    await fn();
    note.value = { kind: 'ok', text: ok };
    return true;
  } catch (err) {
    note.value = { kind: 'error', text: errorText(err) };
    return false;
  }
}

/**
 * Previous / next for a list (page numbers from 1).
 * @param {{ page: number, hasMore: boolean, onPage: (n: number) => void, label?: string }} p
 */
export function Pager({ page, hasMore, onPage, label = 'Pages' }) {
  if (page <= 1 && !hasMore) return null;
  return html`<nav class="pager" aria-label=${label}>
    <button type="button" disabled=${page <= 1} onClick=${() => onPage(page - 1)}>Previous</button>
    <span>Page ${page}</span>
    <button type="button" disabled=${!hasMore} onClick=${() => onPage(page + 1)}>Next</button>
  </nav>`;
}

/**
 * Client-side page of an array (for lists the API answers whole).
 * @template T @param {T[]} items @param {number} page @param {number} size
 */
export const pageOf = (items, page, size) => ({ rows: items.slice((page - 1) * size, page * size), hasMore: items.length > page * size });

/** Copy text to the clipboard; resolves true when it worked. @param {string} text */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Empty the named fields of a form after a successful write. (form.reset() would also put
 * selects and prefilled fields back to their HTML defaults, which Preact does not set.)
 * @param {HTMLFormElement} form @param {string[]} names
 */
export function clearFields(form, names) {
  for (const name of names) {
    const el = form.elements.namedItem(name);
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.value = '';
  }
}
