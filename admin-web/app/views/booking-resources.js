// @ts-check
/**
 * Bookings' building blocks: the resources list/create (slot resources: capacity and slot
 * length; nightly ones: price per night in KES — the API takes cents) and the booking form used
 * to create a booking or move one (times typed in the tenant's timezone, sent as instants).
 */
import { html, signal, useSignal } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { attempt, clearFields, ListState, loadable, Notice } from '/web/shared/components.js';
import { dateKeyIn, kes, partsIn, toCents, zonedToUtc } from '/web/shared/format.js';
import { can, tenant } from '../session.js';

/** @typedef {import('../../types/console-api.js').Resource} Resource */
export const resources = loadable(async () => (await call('GET /api/tenant/resources')).resources.filter((r) => r.active !== false));
const resNote = signal(/** @type {import('/web/shared/components.js').Note} */ (null));
const hhmm = (/** @type {Date} */ d, /** @type {string} */ tz) => { const p = partsIn(d, tz); return `${String(p.h).padStart(2, '0')}:${String(p.mi).padStart(2, '0')}`; };
const nextDay = (/** @type {string} */ key) => new Date(Date.parse(`${key}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Create (no `booking`) or move (`booking`) a booking.
 * @param {{ booking?: import('../../types/console-api.js').Booking, note: { value: import('/web/shared/components.js').Note }, onDone: () => void }} p
 */
export function BookingForm({ booking, note, onDone }) {
  const tz = tenant.value.timezone;
  const all = resources.s.value.data ?? [];
  const rid = useSignal(booking?.resourceId ?? all[0]?.id ?? '');
  // The list may load after the form first rendered: an unset choice means the first resource.
  const selected = all.some((x) => x.id === rid.value) ? rid.value : all[0]?.id ?? '';
  const r = all.find((x) => x.id === selected);
  const nightly = r?.kind === 'nightly';
  const s = booking ? new Date(booking.startsAt) : undefined;
  const e = booking ? new Date(booking.endsAt) : undefined;
  const today = dateKeyIn(new Date(), tz);
  /** @param {SubmitEvent} ev */
  const submit = async (ev) => {
    ev.preventDefault();
    const form = /** @type {HTMLFormElement} */ (ev.target);
    const f = new FormData(form);
    const v = (/** @type {string} */ k) => String(f.get(k) ?? '').trim();
    // A nightly stay runs from the check-in date to the check-out date (midnight to midnight).
    const startsAt = nightly ? zonedToUtc(v('checkIn'), '00:00', tz) : zonedToUtc(v('date'), v('start'), tz);
    const endsAt = nightly ? zonedToUtc(v('checkOut'), '00:00', tz) : zonedToUtc(v('date'), v('end'), tz);
    if (!(endsAt > startsAt)) return void (note.value = { kind: 'error', text: nightly ? 'Check-out must be after check-in.' : 'The end must be after the start.' });
    const body = { resourceId: selected, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
    const ok = booking
      ? await attempt(note, () => call('PATCH /api/tenant/bookings/:id', { params: { id: booking.id }, body }), 'Booking moved.')
      : await attempt(note, () => call('POST /api/tenant/bookings', { body: { ...body, customerName: v('customerName') || undefined, customerPhone: v('customerPhone') || undefined, note: v('note') || undefined } }), `Booked ${r?.name ?? ''}.`);
    if (ok) {
      // The date and times stay: the next booking is often the same day.
      if (!booking) clearFields(form, ['customerName', 'customerPhone', 'note']);
      onDone();
    }
  };
  if (!all.length) return html`<p class="state" data-state="empty">Add a resource first (a room, a table, a chair).</p>`;
  return html`<form class="card" onSubmit=${submit} aria-label=${booking ? 'Move booking' : 'New booking'}>
    <label>Resource <select name="resourceId" value=${selected} onChange=${(/** @type {Event} */ x) => (rid.value = /** @type {HTMLSelectElement} */ (x.target).value)}>
      ${all.map((x) => html`<option value=${x.id}>${x.name}</option>`)}</select></label>
    ${nightly ? html`<div class="row">
        <label>Check-in <input name="checkIn" type="date" required value=${s ? dateKeyIn(s, tz) : today} /></label>
        <label>Check-out <input name="checkOut" type="date" required value=${e ? dateKeyIn(e, tz) : nextDay(today)} /></label></div>`
      : html`<div class="row">
        <label>Date <input name="date" type="date" required value=${s ? dateKeyIn(s, tz) : today} /></label>
        <label>Start <input name="start" type="time" required value=${s ? hhmm(s, tz) : '10:00'} /></label>
        <label>End <input name="end" type="time" required value=${e ? hhmm(e, tz) : '11:00'} /></label></div>`}
    ${booking ? null : html`<div class="row">
        <label>Customer name <input name="customerName" maxlength="200" /></label>
        <label>Customer phone <input name="customerPhone" type="tel" placeholder="+254712345678" /></label></div>
      <label>Note <input name="note" maxlength="500" /></label>`}
    <div class="actions"><button type="submit">${booking ? 'Move booking' : 'Book'}</button>${booking ? html`<button type="button" onClick=${onDone}>Close</button>` : null}</div>
  </form>`;
}

function AddResource() {
  const kind = useSignal(/** @type {'slot' | 'nightly'} */ ('slot'));
  /** @param {SubmitEvent} ev */
  const submit = async (ev) => {
    ev.preventDefault();
    const form = /** @type {HTMLFormElement} */ (ev.target);
    const f = new FormData(form);
    const name = String(f.get('name') ?? '').trim();
    const capacity = Number(f.get('capacity')) || 1;
    /** @type {import('../../types/console-api.js').ResourceInput} */
    const body = kind.value === 'nightly'
      ? { name, kind: 'nightly', capacity, pricePerNightCents: f.get('price') ? toCents(String(f.get('price'))) : null }
      : { name, kind: 'slot', capacity, slotMinutes: Number(f.get('slotMinutes')) || 60 };
    if (body.pricePerNightCents !== undefined && body.pricePerNightCents !== null && !(body.pricePerNightCents > 0)) return void (resNote.value = { kind: 'error', text: 'The price per night must be an amount in KES.' });
    const ok = await attempt(resNote, async () => {
      await call('POST /api/tenant/resources', { body });
      await resources.reload();
    }, `${name} added.`);
    if (ok) clearFields(form, ['name', 'price']);
  };
  return html`<form class="card" onSubmit=${submit} aria-label="Add a resource">
    <label>Name <input name="name" required maxlength="120" placeholder="Room 1, Chair 2, Table 4" /></label>
    <label>Booked by <select name="kind" value=${kind.value} onChange=${(/** @type {Event} */ x) => (kind.value = /** @type {any} */ (/** @type {HTMLSelectElement} */ (x.target).value))}>
      <option value="slot">Time slot (chair, table, visit)</option><option value="nightly">Night (hotel room)</option></select></label>
    <div class="row">
      <label>Capacity (people) <input name="capacity" type="number" min="1" max="10000" value="1" /></label>
      ${kind.value === 'nightly' ? html`<label>Price per night (KES) <input name="price" inputmode="decimal" /></label>`
        : html`<label>Slot length (minutes) <input name="slotMinutes" type="number" min="5" max="10080" value="60" /></label>`}
    </div>
    <button type="submit">Add resource</button>
  </form>`;
}

export function Resources() {
  const writer = can('settings');
  const remove = (/** @type {Resource} */ r) => confirm(`Remove ${r.name}? Its bookings stay in the calendar.`) && attempt(resNote, async () => {
    await call('DELETE /api/tenant/resources/:id', { params: { id: r.id } });
    await resources.reload();
  }, `${r.name} removed.`);
  return html`<div class="grid">
    <${Notice} note=${resNote} />
    <${ListState} load=${resources.s} empty="No resources yet." label="resources" retry=${resources.reload}>
      ${(/** @type {Resource[]} */ rows) => html`<ul class="items" data-testid="resources">${rows.map((r) => html`<li data-testid="resource" data-name=${r.name}>
        <div class="head"><strong>${r.name}</strong><span class="badge">${r.kind === 'nightly' ? 'Nightly' : 'Time slots'}</span></div>
        <span class="hint">${r.kind === 'nightly' ? `${r.pricePerNightCents ? `${kes(r.pricePerNightCents)} a night · ` : ''}sleeps ${r.capacity}` : `${r.slotMinutes ?? 60}-minute slots · capacity ${r.capacity}`}</span>
        ${writer ? html`<div class="actions"><button type="button" class="danger" onClick=${() => remove(r)}>Remove</button></div>` : null}</li>`)}</ul>`}
    <//>
    ${writer ? html`<h3>Add a resource</h3><${AddResource} />` : null}
  </div>`;
}
