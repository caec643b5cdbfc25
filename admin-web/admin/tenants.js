// @ts-check
/**
 * Tenants: a searchable, filterable list (plan, status, MRR, sales rep, last activity) from
 * GET /api/admin/tenants-billing; a sales rep's list holds only their own tenants (the API scopes
 * it). The filters survive a reload of the tab (sessionStorage). A row opens #/tenants/<id>.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { get } from './api.js';
import { kes, when } from './format.js';
import { Badge, EmptyRow, show, useLoad } from './parts.js';

/** @typedef {import('./types.d.ts').TenantBillingRow} TenantBillingRow */

export const STATUSES = ['trial', 'active', 'past_due', 'suspended', 'canceled'];
export const PLANS = ['starter', 'professional', 'growth'];
const KEY = 'tenant-filters';

export function Tenants() {
  const query = useSignal(sessionStorage.getItem(KEY) ?? '');
  const load = useLoad(() => /** @type {Promise<{ tenants: TenantBillingRow[], total: number }>} */ (get(`/api/admin/tenants-billing?${query.value}`)), [query.value]);
  const params = new URLSearchParams(query.value);
  /** @param {SubmitEvent} e */
  const submit = (e) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.currentTarget));
    const q = new URLSearchParams();
    f.forEach((v, k) => typeof v === 'string' && v.trim() && q.set(k, v.trim()));
    sessionStorage.setItem(KEY, q.toString());
    if (q.toString() === query.value) load.reload();
    else query.value = q.toString();
  };
  return html`
    <h1 class="view-title">Tenants</h1>
    <section class="card">
      <form class="filters" onSubmit=${submit} role="search">
        <label>Search <input name="q" type="search" placeholder="Name or slug" defaultValue=${params.get('q') ?? ''} data-testid="tenant-search" /></label>
        <label>Status
          <select name="status" data-testid="tenant-status-filter">
            <option value="">Any status</option>
            ${STATUSES.map((s) => html`<option value=${s} selected=${params.get('status') === s}>${s}</option>`)}
          </select>
        </label>
        <label>Plan
          <select name="plan">
            <option value="">Any plan</option>
            ${PLANS.map((p) => html`<option value=${p} selected=${params.get('plan') === p}>${p}</option>`)}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      ${show(load, ({ tenants, total }) => html`<${TenantTable} tenants=${tenants} total=${total} filtered=${!!query.value} updating=${load.loading} />`, 'tenants')}
    </section>`;
}

/** @param {{ tenants: TenantBillingRow[], total: number, filtered: boolean, updating: boolean }} props */
function TenantTable({ tenants, total, filtered, updating }) {
  const open = (/** @type {string} */ id) => (location.hash = `#/tenants/${id}`);
  return html`
    <p class="muted" data-testid="tenant-count" aria-live="polite">
      ${total} tenant${total === 1 ? '' : 's'}${tenants.length < total ? `, showing the newest ${tenants.length}` : ''}${updating ? ' · updating…' : ''}
    </p>
    <div class="table-wrap">
      <table data-testid="tenants-table">
        <thead><tr><th>Tenant</th><th class="wide">Plan</th><th>Status</th><th class="num">MRR</th><th class="wide">Sales rep</th><th class="wide">Last activity</th></tr></thead>
        <tbody>
          ${tenants.map(
            (t) => html`
              <tr class="clickable" data-testid="tenant-row" data-slug=${t.slug} data-id=${t.id} onClick=${() => open(t.id)}>
                <td><a href=${`#/tenants/${t.id}`} class="strong">${t.name}</a><div class="muted">${t.slug} · ${t.industry}<span class="narrow"> · ${t.planId}</span></div></td>
                <td class="wide">${t.planId}</td>
                <td><${Badge} status=${t.status} testid="tenant-status" /></td>
                <td class="num">${kes(t.mrrCents)}</td>
                <td class="wide">${t.repName ?? '–'}</td>
                <td class="wide">${when(t.lastActivityAt)}</td>
              </tr>`,
          )}
          ${tenants.length ? null : html`<${EmptyRow} cols=${6}>${filtered ? 'No tenant matches these filters.' : 'No tenants yet (aizalo tenant create …).'}<//>`}
        </tbody>
      </table>
    </div>`;
}
