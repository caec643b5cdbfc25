// @ts-check
/**
 * Opening hours in Settings (GET/PUT /api/tenant/hours): per weekday open/closed, opening and
 * closing time and breaks; and holidays (date + name). Times are wall-clock HH:MM in the
 * business's timezone; day 0 = Sunday (the API's numbering), shown Monday first.
 */
import { html, signal, useEffect } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { attempt, loadable, Notice } from '/web/shared/components.js';
import { can } from '../session.js';

/** @typedef {import('../../types/console-api.js').Hours} Hours */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ORDER = [1, 2, 3, 4, 5, 6, 0];
const hours = loadable(() => call('GET /api/tenant/hours'));
/** The edited copy. */
const draft = signal(/** @type {Hours | null} */ (null));
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));

/** @param {(h: Hours) => void} fn */
const edit = (fn) => {
  const h = /** @type {Hours} */ (structuredClone(draft.value));
  fn(h);
  draft.value = h;
};
/** @param {Event} e */
const val = (e) => /** @type {HTMLInputElement} */ (e.target).value;

/** @param {{ day: number, writer: boolean }} p */
function DayRow({ day, writer }) {
  const d = draft.value?.weekly.find((w) => w.day === day);
  const name = DAYS[day] ?? '';
  const set = (/** @type {(w: import('../../types/console-api.js').HoursDay) => void} */ fn) => edit((h) => { const w = h.weekly.find((x) => x.day === day); if (w) fn(w); });
  return html`<fieldset data-day=${day}><legend>${name}</legend>
    <label class="inline"><input type="checkbox" checked=${!!d} disabled=${!writer}
      onChange=${(/** @type {Event} */ e) => edit((h) => { h.weekly = /** @type {HTMLInputElement} */ (e.target).checked ? [...h.weekly, { day, open: '08:00', close: '17:00', breaks: [] }] : h.weekly.filter((w) => w.day !== day); })} /> Open on ${name}</label>
    ${d ? html`<div class="row">
        <label>Opens <input type="time" required value=${d.open} disabled=${!writer} onChange=${(/** @type {Event} */ e) => set((w) => (w.open = val(e)))} /></label>
        <label>Closes <input type="time" required value=${d.close} disabled=${!writer} onChange=${(/** @type {Event} */ e) => set((w) => (w.close = val(e)))} /></label></div>
      ${d.breaks.map((b, i) => html`<div class="row">
        <label>Break from <input type="time" required value=${b.start} disabled=${!writer} onChange=${(/** @type {Event} */ e) => set((w) => { const x = w.breaks[i]; if (x) x.start = val(e); })} /></label>
        <label>to <input type="time" required value=${b.end} disabled=${!writer} onChange=${(/** @type {Event} */ e) => set((w) => { const x = w.breaks[i]; if (x) x.end = val(e); })} /></label>
        ${writer ? html`<button type="button" onClick=${() => set((w) => w.breaks.splice(i, 1))}>Remove break</button>` : null}</div>`)}
      ${writer ? html`<button type="button" onClick=${() => set((w) => w.breaks.push({ start: '13:00', end: '14:00' }))}>Add a break on ${name}</button>` : null}` : null}
  </fieldset>`;
}

export function HoursEditor() {
  const writer = can('settings');
  useEffect(() => {
    void hours.reload().then(() => {
      const h = hours.s.value.data;
      if (h) draft.value = { weekly: h.weekly.map((w) => ({ ...w, breaks: w.breaks ?? [] })), holidays: h.holidays ?? [] };
    });
  }, []);
  const l = hours.s.value;
  if (l.state === 'loading' && !draft.value) return html`<p class="state" role="status" id="hours">Loading opening hours…</p>`;
  if (l.state === 'error' && !draft.value) return html`<p class="state error" role="alert" id="hours">Could not load opening hours: ${l.error}</p>`;
  const h = draft.value;
  if (!h) return null;
  /** @param {SubmitEvent} e */
  const save = (e) => {
    e.preventDefault();
    void attempt(note, async () => {
      const saved = await call('PUT /api/tenant/hours', { body: { weekly: [...h.weekly].sort((a, b) => a.day - b.day), holidays: h.holidays } });
      draft.value = { weekly: saved.weekly, holidays: saved.holidays };
    }, 'Opening hours saved.');
  };
  return html`<form class="card" id="hours" onSubmit=${save} aria-label="Opening hours">
    <h2>Opening hours</h2>
    ${ORDER.map((day) => html`<${DayRow} day=${day} writer=${writer} />`)}
    <fieldset><legend>Holidays (closed)</legend>
      ${h.holidays.length ? null : html`<p class="hint">No holidays.</p>`}
      ${h.holidays.map((x, i) => html`<div class="row">
        <label>Date <input type="date" required value=${x.date} disabled=${!writer} onChange=${(/** @type {Event} */ e) => edit((d) => { const y = d.holidays[i]; if (y) y.date = val(e); })} /></label>
        <label>Name <input required maxlength="100" value=${x.name} disabled=${!writer} onChange=${(/** @type {Event} */ e) => edit((d) => { const y = d.holidays[i]; if (y) y.name = val(e); })} /></label>
        ${writer ? html`<button type="button" onClick=${() => edit((d) => d.holidays.splice(i, 1))}>Remove holiday</button>` : null}</div>`)}
      ${writer ? html`<button type="button" onClick=${() => edit((d) => d.holidays.push({ date: new Date().toISOString().slice(0, 10), name: 'Holiday' }))}>Add a holiday</button>` : null}
    </fieldset>
    <${Notice} note=${note} />
    ${writer ? html`<button type="submit">Save opening hours</button>` : null}
  </form>`;
}
