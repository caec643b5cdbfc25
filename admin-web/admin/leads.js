// @ts-check
/**
 * The leads pipeline: add a lead (business, phone, industry) and move leads through
 * new → contacted → demo → negotiating → won / lost (POST/PATCH /api/admin/sales/leads).
 * A rep's new lead is theirs; a rep sees only their own leads.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, get, messageOf } from './api.js';
import { ErrorNote, show, useLoad } from './parts.js';

/** @typedef {import('./types.d.ts').Lead} Lead */
/** @typedef {import('./types.d.ts').LeadStage} LeadStage */

/** @type {LeadStage[]} */
const STAGES = ['new', 'contacted', 'demo', 'negotiating', 'won', 'lost'];

export function Leads() {
  const load = useLoad(() => /** @type {Promise<{ leads: Lead[] }>} */ (get('/api/admin/sales/leads')), []);
  const error = useSignal('');
  /** @param {() => Promise<unknown>} fn */
  const run = async (fn) => {
    error.value = '';
    try {
      await fn();
      load.reload();
    } catch (err) {
      error.value = messageOf(err);
    }
  };
  /** @param {SubmitEvent} e */
  const add = (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    /** @type {Record<string, string>} */
    const body = {};
    new FormData(form).forEach((v, k) => typeof v === 'string' && v.trim() && (body[k] = v.trim()));
    run(async () => {
      await call('POST', '/api/admin/sales/leads', body);
      form.reset();
    });
  };
  /** @param {Lead} l @param {string} stage */
  const move = (l, stage) => run(() => call('PATCH', `/api/admin/sales/leads/${l.id}`, { stage }));

  return html`
    <section class="card">
      <h2>Leads pipeline</h2>
      <form class="filters" onSubmit=${add}>
        <label>Business <input name="name" required maxlength="200" /></label>
        <label>Phone <input name="phone" type="tel" placeholder="+2547…" /></label>
        <label>Industry <input name="industry" /></label>
        <button type="submit">Add lead</button>
      </form>
      ${error.value ? html`<${ErrorNote} message=${error.value} />` : null}
      ${show(
        load,
        ({ leads }) => html`
          ${leads.length ? null : html`<p class="muted">No leads yet; add the first one above.</p>`}
          <div class="pipeline" data-testid="pipeline">
            ${STAGES.map((s) => {
              const here = leads.filter((l) => l.stage === s);
              return html`
                <div class="col">
                  <h3>${s} <span class="muted">(${here.length})</span></h3>
                  ${here.map(
                    (l) => html`
                      <div class="lead" data-testid="lead">
                        <div>${l.name}</div>
                        <div class="muted">${l.phone || ''}</div>
                        <label class="inline"><span class="sr-only">Stage of ${l.name}</span>
                          <select value=${l.stage} onChange=${(/** @type {Event} */ e) => move(l, /** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
                            ${STAGES.map((x) => html`<option value=${x} selected=${x === l.stage}>${x}</option>`)}
                          </select>
                        </label>
                      </div>`,
                  )}
                </div>`;
            })}
          </div>`,
        'leads',
      )}
    </section>`;
}
