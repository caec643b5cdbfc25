// @ts-check
/**
 * Small building blocks shared by the admin views: a data loader whose state lives in a signal
 * (loading → data or error, with a reload), the loading/error/empty markup every list uses, and
 * status badges. Views stay small components over typed API calls.
 */
import { html, useEffect, useSignal } from '/web/shared/ui.js';
import { messageOf } from './api.js';

/**
 * @template T
 * @typedef {{ data: T | undefined, error: string, loading: boolean }} LoadState
 */
/**
 * @template T
 * @typedef {LoadState<T> & { reload: () => void }} Loaded
 */

/**
 * Runs `fetcher` when the component mounts and whenever a value in `deps` changes; a reload keeps
 * the last data on screen (marked as updating) so lists do not flash.
 * @template T
 * @param {() => Promise<T>} fetcher
 * @param {unknown[]} deps
 * @returns {Loaded<T>}
 */
export function useLoad(fetcher, deps) {
  const state = useSignal(/** @type {LoadState<T>} */ ({ data: undefined, error: '', loading: true }));
  const tick = useSignal(0);
  useEffect(() => {
    let live = true;
    state.value = { ...state.value, loading: true };
    fetcher().then(
      (data) => live && (state.value = { data, error: '', loading: false }),
      (err) => live && (state.value = { data: state.value.data, error: messageOf(err), loading: false }),
    );
    return () => {
      live = false;
    };
    // deps are the caller's values plus the reload counter.
  }, [...deps, tick.value]);
  return { ...state.value, reload: () => tick.value++ };
}

/**
 * The loading or error state of `load`, or `body(data)` once data is there (with the error of a
 * failed reload above it).
 * @template T
 * @param {Loaded<T>} load
 * @param {(data: T) => unknown} body
 * @param {string} [what] what is loading, for the message ("tenants")
 */
export function show(load, body, what = 'data') {
  if (load.data === undefined) {
    if (load.error) return html`<${ErrorNote} message=${load.error} retry=${load.reload} />`;
    return html`<p class="muted" role="status" data-testid="loading">Loading ${what}…</p>`;
  }
  return html`${load.error ? html`<${ErrorNote} message=${load.error} retry=${load.reload} />` : null}${body(load.data)}`;
}

/** @param {{ message: string, retry?: () => void }} props */
export function ErrorNote({ message, retry }) {
  return html`<p class="error" role="alert">${message} ${retry ? html`<button type="button" class="link" onClick=${retry}>Try again</button>` : null}</p>`;
}

/** A table row saying the list is empty. @param {{ cols: number, children: unknown }} props */
export function EmptyRow({ cols, children }) {
  return html`<tr class="empty"><td class="muted" colspan=${cols}>${children}</td></tr>`;
}

/** A status pill (colour by status class). @param {{ status: string, testid?: string }} props */
export function Badge({ status, testid }) {
  return html`<span class=${`badge ${status}`} data-testid=${testid}>${status}</span>`;
}
