// @ts-check
/**
 * Bookings: a day or week calendar of bookings (GET /api/tenant/bookings?from&to&resourceId),
 * per resource or all, every time in the tenant's timezone; create, move and cancel by hand (the
 * API keeps the same no-double-booking guarantee as the agent: a clash answers 409 slot_taken);
 * and the bookable resources (booking-resources.js). Writes need `reply` for bookings (staff
 * handle bookings at the desk) and `settings` for resources.
 */
import { html, signal, useEffect, useSignal } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { attempt, loadable, Notice, Pager } from '/web/shared/components.js';
import { dateKeyIn, dayIn, partsIn, timeIn, zonedToUtc } from '/web/shared/format.js';
import { can, tenant } from '../session.js';
import { BookingForm, resources, Resources } from './booking-resources.js';

/** @typedef {import('../../types/console-api.js').Booking} Booking */
const LIMIT = 200;
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));
const mode = signal(/** @type {'day' | 'week'} */ ('week'));
/** The first shown day, YYYY-MM-DD in the tenant's timezone ('' = today). */
const anchor = signal('');
const resourceId = signal('');
const cursor = signal(/** @type {string[]} */ ([]));

/** YYYY-MM-DD plus n days (calendar arithmetic on the date only). @param {string} key @param {number} n */
export const addDays = (key, n) => new Date(Date.parse(`${key}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The shown days (keys) for the current mode. */
function days() {
  const tz = tenant.value.timezone;
  const start = anchor.value || dateKeyIn(new Date(), tz);
  if (mode.value === 'day') return [start];
  // A week starts on Monday.
  const wd = partsIn(zonedToUtc(start, '12:00', tz), tz).wd;
  const monday = addDays(start, -((wd + 6) % 7));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

const list = loadable(async () => {
  const tz = tenant.value.timezone;
  const ds = days();
  const r = await call('GET /api/tenant/bookings', {
    query: { from: zonedToUtc(ds[0] ?? '', '00:00', tz).toISOString(), to: zonedToUtc(addDays(ds.at(-1) ?? '', 1), '00:00', tz).toISOString(),
      resourceId: resourceId.value || undefined, limit: LIMIT, cursor: cursor.value.at(-1) },
  });
  return { items: r.bookings, nextCursor: r.nextCursor ?? null };
});

/** @param {{ b: Booking }} p */
function BookingItem({ b }) {
  const tz = tenant.value.timezone;
  const moving = useSignal(false);
  const writer = can('reply');
  const cancel = () => confirm(`Cancel ${b.customerName ?? 'this'} booking on ${b.resourceName}?`) && attempt(note, async () => {
    await call('POST /api/tenant/bookings/:id/cancel', { params: { id: b.id } });
    await list.reload();
  }, `Booking on ${b.resourceName} canceled.`);
  const canceled = b.status !== 'confirmed';
  return html`<div class=${`slot ${canceled ? 'canceled' : ''}`} data-testid="booking" data-id=${b.id} data-status=${b.status}>
    <strong data-testid="booking-time">${timeIn(b.startsAt, tz)}–${timeIn(b.endsAt, tz)}</strong>
    <span>${b.resourceName}${b.customerName ? ` · ${b.customerName}` : ''}${canceled ? ` · ${b.status}` : ''}</span>
    ${b.note ? html`<span class="hint">${b.note}</span>` : null}
    ${writer && !canceled ? html`<div class="actions">
      <button type="button" onClick=${() => (moving.value = !moving.value)} aria-expanded=${String(moving.value)}>Move</button>
      <button type="button" class="danger" onClick=${cancel}>Cancel booking</button></div>` : null}
    ${moving.value ? html`<div class="actions"><${BookingForm} booking=${b} note=${note} onDone=${() => { moving.value = false; void list.reload(); }} /></div>` : null}
  </div>`;
}

function Calendar() {
  const tz = tenant.value.timezone;
  const l = list.s.value;
  const items = l.data?.items ?? [];
  const today = dateKeyIn(new Date(), tz);
  /** @type {Record<string, Booking[]>} */
  const byDay = {};
  for (const b of items) (byDay[dateKeyIn(new Date(b.startsAt), tz)] ??= []).push(b);
  if (l.state === 'loading' && !l.data) return html`<p class="state" role="status" data-state="loading">Loading bookings…</p>`;
  if (l.state === 'error') return html`<p class="state error" role="alert" data-state="error">Could not load bookings: ${l.error} <button type="button" onClick=${list.reload}>Try again</button></p>`;
  return html`<div class=${`cal ${mode.value}`} data-testid="calendar">
      ${days().map((d) => html`<div class=${`cal-day ${d === today ? 'today' : ''}`} data-day=${d}>
        <h3>${dayIn(zonedToUtc(d, '12:00', tz), tz)}</h3>
        ${(byDay[d] ?? []).map((b) => html`<${BookingItem} key=${b.id} b=${b} />`)}
        ${(byDay[d] ?? []).length ? null : html`<p class="hint">No bookings.</p>`}
      </div>`)}
    </div>
    ${items.length ? null : html`<p class="state" data-state="empty">No bookings in these days.</p>`}
    <${Pager} page=${cursor.value.length + 1} hasMore=${!!l.data?.nextCursor} label="Booking pages"
      onPage=${(/** @type {number} */ n) => { cursor.value = n > cursor.value.length + 1 ? [...cursor.value, l.data?.nextCursor ?? ''] : cursor.value.slice(0, n - 1); void list.reload(); }} />`;
}

export function View() {
  const tz = tenant.value.timezone;
  useEffect(() => {
    cursor.value = [];
    void resources.reload();
    void list.reload();
  }, [tz]);
  const shift = (/** @type {number} */ n) => {
    anchor.value = addDays(anchor.value || dateKeyIn(new Date(), tz), n * (mode.value === 'day' ? 1 : 7));
    cursor.value = [];
    void list.reload();
  };
  const res = resources.s.value.data ?? [];
  return html`<section>
    <h1>Bookings</h1>
    <p class="hint">Times in ${tz}.</p>
    <${Notice} note=${note} />
    <div class="row" role="group" aria-label="Calendar controls">
      <label>Show <select value=${mode.value} onChange=${(/** @type {Event} */ e) => { mode.value = /** @type {any} */ (/** @type {HTMLSelectElement} */ (e.target).value); cursor.value = []; void list.reload(); }}>
        <option value="day">Day</option><option value="week">Week</option></select></label>
      <label>Resource <select value=${resourceId.value} onChange=${(/** @type {Event} */ e) => { resourceId.value = /** @type {HTMLSelectElement} */ (e.target).value; cursor.value = []; void list.reload(); }}>
        <option value="">All resources</option>${res.map((r) => html`<option value=${r.id}>${r.name}</option>`)}</select></label>
      <label>Go to date <input type="date" value=${days()[0]} onChange=${(/** @type {Event} */ e) => { anchor.value = /** @type {HTMLInputElement} */ (e.target).value; cursor.value = []; void list.reload(); }} /></label>
      <div class="actions"><button type="button" onClick=${() => shift(-1)}>Previous</button>
        <button type="button" onClick=${() => { anchor.value = ''; void list.reload(); }}>Today</button>
        <button type="button" onClick=${() => shift(1)}>Next</button></div>
    </div>
    <${Calendar} />
    <div class="two">
      ${can('reply') ? html`<div><h2>New booking</h2><${BookingForm} note=${note} onDone=${() => void list.reload()} /></div>` : null}
      <div><h2>Resources</h2><${Resources} /></div>
    </div>
  </section>`;
}
