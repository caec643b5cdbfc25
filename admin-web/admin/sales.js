// @ts-check
/**
 * Sales team (owner, admin, sales): reps with rates, territories, tenants, MRR and open leads
 * (owners and admins edit rates and territories), the monthly leaderboard, the leads pipeline
 * (leads.js) and commissions (commissions.js). A rep sees only their own rows (the API scopes it).
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, get, messageOf } from './api.js';
import { kes, rate } from './format.js';
import { canManage } from './session.js';
import { EmptyRow, ErrorNote, show, useLoad } from './parts.js';
import { Leads } from './leads.js';
import { Commissions } from './commissions.js';

/** @typedef {import('./types.d.ts').Me} Me */
/** @typedef {import('./types.d.ts').Rep} Rep */
/** @typedef {import('./types.d.ts').LeaderboardRow} LeaderboardRow */

/** @param {{ me: Me }} props */
export function Sales({ me }) {
  return html`
    <h1 class="view-title">Sales team</h1>
    <${Reps} manage=${canManage(me)} />
    <${Leaderboard} />
    <${Leads} />
    <${Commissions} manage=${canManage(me)} />`;
}

/** @param {{ manage: boolean }} props */
function Reps({ manage }) {
  const load = useLoad(() => /** @type {Promise<{ reps: Rep[] }>} */ (get('/api/admin/sales/reps')), []);
  const saved = useSignal('');
  const error = useSignal('');
  /** @param {SubmitEvent} e @param {Rep[]} reps */
  const save = async (e, reps) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.currentTarget));
    const v = (/** @type {string} */ k) => String(f.get(k) ?? '');
    saved.value = '';
    error.value = '';
    try {
      for (const r of reps) {
        await call('PATCH', `/api/admin/sales/reps/${r.id}`, {
          firstPaymentRateBp: Math.round(Number(v(`first-${r.id}`)) * 100),
          recurringRateBp: Math.round(Number(v(`recurring-${r.id}`)) * 100),
          territories: v(`territories-${r.id}`).split(',').map((s) => s.trim()).filter(Boolean),
        });
      }
      saved.value = 'Saved.';
      load.reload();
    } catch (err) {
      error.value = messageOf(err);
    }
  };
  /** @param {Rep} r */
  const row = (r) => {
    const who = r.name || r.email;
    return html`
      <tr data-rep=${r.id}>
        <td>${who}<div class="muted">${r.email}</div></td>
        <td class="wide">${r.phone || '–'}</td>
        <td class="num">
          ${manage
            ? html`<span class="rates">
                <label class="inline"><span class="sr-only">First-payment rate for ${who}, percent</span><input name=${`first-${r.id}`} type="number" min="0" max="100" step="0.01" size="4" defaultValue=${String(r.firstPaymentRateBp / 100)} /></label>% /
                <label class="inline"><span class="sr-only">Recurring rate for ${who}, percent</span><input name=${`recurring-${r.id}`} type="number" min="0" max="100" step="0.01" size="4" defaultValue=${String(r.recurringRateBp / 100)} /></label>%
              </span>`
            : `${rate(r.firstPaymentRateBp)} / ${rate(r.recurringRateBp)}`}
        </td>
        <td>
          ${manage
            ? html`<label class="inline"><span class="sr-only">Territories for ${who}, comma-separated</span><input name=${`territories-${r.id}`} defaultValue=${r.territories.join(', ')} /></label>`
            : r.territories.join(', ') || '–'}
        </td>
        <td class="num wide">${r.tenants}</td>
        <td class="num">${kes(r.mrrCents)}</td>
        <td class="num wide">${r.openLeads}</td>
      </tr>`;
  };
  return html`
    <section class="card">
      <h2>Sales reps</h2>
      ${show(
        load,
        ({ reps }) => html`
          <form onSubmit=${(/** @type {SubmitEvent} */ e) => save(e, reps)}>
            <div class="table-wrap">
              <table data-testid="reps-table">
                <thead><tr><th>Rep</th><th class="wide">Phone</th><th class="num">First / recurring rate</th><th>Territories</th><th class="num wide">Tenants</th><th class="num">MRR</th><th class="num wide">Open leads</th></tr></thead>
                <tbody>
                  ${reps.map(row)}
                  ${reps.length ? null : html`<${EmptyRow} cols=${7}>No sales reps yet (aizalo user create --role sales --phone +E164 …).<//>`}
                </tbody>
              </table>
            </div>
            ${manage && reps.length ? html`<p><button type="submit">Save rates and territories</button> <span class="muted" role="status">${saved.value}</span></p>` : null}
            ${error.value ? html`<${ErrorNote} message=${error.value} />` : null}
          </form>`,
        'sales reps',
      )}
    </section>`;
}

function Leaderboard() {
  const month = useSignal(new Date().toISOString().slice(0, 7));
  const load = useLoad(
    () => /** @type {Promise<{ month: string, leaderboard: LeaderboardRow[] }>} */ (get(`/api/admin/sales-performance?month=${month.value}`)),
    [month.value],
  );
  return html`
    <section class="card">
      <div class="card-head">
        <h2>Leaderboard, ${month.value}</h2>
        <label class="inline-label">Month <input type="month" value=${month.value} onChange=${(/** @type {Event} */ e) => {
          const v = /** @type {HTMLInputElement} */ (e.currentTarget).value;
          if (/^\d{4}-\d{2}$/.test(v)) month.value = v;
        }} /></label>
      </div>
      ${show(
        load,
        ({ leaderboard }) => html`
          <div class="table-wrap">
            <table data-testid="leaderboard">
              <thead><tr><th>Rep</th><th class="num">Payments</th><th class="num wide">New tenants</th><th class="num wide">Revenue</th><th class="num">Commission</th></tr></thead>
              <tbody>
                ${leaderboard.map(
                  (r) =>
                    html`<tr><td>${r.name || r.email}</td><td class="num">${r.payments}</td><td class="num wide">${r.newTenants}</td><td class="num wide">${kes(r.revenueCents)}</td><td class="num">${kes(r.commissionCents)}</td></tr>`,
                )}
                ${leaderboard.length ? null : html`<${EmptyRow} cols=${5}>No sales reps yet.<//>`}
              </tbody>
            </table>
          </div>`,
        'the leaderboard',
      )}
    </section>`;
}
