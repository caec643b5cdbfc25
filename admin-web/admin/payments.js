// @ts-check
/**
 * Payments (owner, admin): the latest payments into platform_revenue (GET /api/admin/payments)
 * and a form to record a manual one (POST /api/admin/payments; idempotent on the reference, so a
 * repeated reference records nothing new). Amounts are typed in KES and sent as cents.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, get, messageOf } from './api.js';
import { day, kes } from './format.js';
import { EmptyRow, ErrorNote, show, useLoad } from './parts.js';
import { PLANS } from './tenants.js';

/** @typedef {import('./types.d.ts').PaymentRow} PaymentRow */
/** @typedef {import('./types.d.ts').TenantBillingRow} TenantBillingRow */

export function Payments() {
  const tenants = useLoad(() => /** @type {Promise<{ tenants: TenantBillingRow[] }>} */ (get('/api/admin/tenants-billing?limit=500')), []);
  const payments = useLoad(() => /** @type {Promise<{ payments: PaymentRow[] }>} */ (get('/api/admin/payments?limit=100')), []);
  const names = new Map((tenants.data?.tenants ?? []).map((t) => [t.id, t.name]));
  return html`
    <h1 class="view-title">Payments</h1>
    <${RecordPayment} tenants=${tenants.data?.tenants} onRecorded=${payments.reload} />
    <section class="card">
      <h2>Latest payments</h2>
      ${show(
        payments,
        ({ payments: rows }) => html`
          <div class="table-wrap">
            <table data-testid="payments-table">
              <thead><tr><th>Paid</th><th>Tenant</th><th class="wide">Reference</th><th class="wide">Method</th><th class="wide">Plan</th><th class="num wide">Months</th><th class="num">Amount</th></tr></thead>
              <tbody>
                ${rows.map(
                  (p) => html`
                    <tr>
                      <td class="nowrap">${day(p.paidAt)}</td>
                      <td>${p.tenantId ? html`<a href=${`#/tenants/${p.tenantId}`}>${names.get(p.tenantId) ?? p.tenantId.slice(0, 8)}</a>` : '–'}</td>
                      <td class="wide">${p.reference}</td><td class="wide">${p.method}</td><td class="wide">${p.planId}</td><td class="num wide">${p.periodMonths}</td><td class="num">${kes(p.amountCents)}</td>
                    </tr>`,
                )}
                ${rows.length ? null : html`<${EmptyRow} cols=${7}>No payments yet.<//>`}
              </tbody>
            </table>
          </div>`,
        'payments',
      )}
    </section>`;
}

/** @param {{ tenants: TenantBillingRow[] | undefined, onRecorded: () => void }} props */
function RecordPayment({ tenants, onRecorded }) {
  const msg = useSignal('');
  const error = useSignal('');
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    const f = new FormData(form);
    const s = (/** @type {string} */ k) => String(f.get(k) ?? '').trim();
    msg.value = '';
    error.value = '';
    const kesAmount = Number(s('amount'));
    if (!(kesAmount > 0)) return void (error.value = 'Amount must be more than 0 KES.');
    try {
      /** @type {{ created: boolean }} */
      const r = await call('POST', '/api/admin/payments', {
        tenantId: s('tenantId'),
        reference: s('reference'),
        amountCents: Math.round(kesAmount * 100),
        periodMonths: Number(s('periodMonths') || 1),
        ...(s('paidAt') ? { paidAt: new Date(s('paidAt')).toISOString() } : {}),
        ...(s('planId') ? { planId: s('planId') } : {}),
      });
      msg.value = r.created ? 'Payment recorded.' : 'That reference was already recorded; nothing changed.';
      if (r.created) form.reset();
      onRecorded();
    } catch (err) {
      error.value = messageOf(err);
    }
  };
  return html`
    <section class="card">
      <h2>Record a payment</h2>
      ${tenants === undefined
        ? html`<p class="muted" role="status">Loading tenants…</p>`
        : tenants.length === 0
          ? html`<p class="muted">No tenants yet.</p>`
          : html`
            <form class="form-grid" onSubmit=${submit}>
              <label>Tenant
                <select name="tenantId" required>
                  <option value="">Choose a tenant</option>
                  ${tenants.map((t) => html`<option value=${t.id}>${t.name} (${t.slug})</option>`)}
                </select>
              </label>
              <label>Reference <input name="reference" required maxlength="128" placeholder="M-Pesa code or invoice" /></label>
              <label>Amount (KES) <input name="amount" type="number" min="1" step="0.01" required /></label>
              <label>Months paid for <input name="periodMonths" type="number" min="1" max="36" defaultValue="1" /></label>
              <label>Paid at <input name="paidAt" type="datetime-local" /></label>
              <label>Plan
                <select name="planId"><option value="">Current plan</option>${PLANS.map((p) => html`<option value=${p}>${p}</option>`)}</select>
              </label>
              <div class="form-actions"><button type="submit">Record payment</button> <span class="muted" role="status">${msg.value}</span></div>
            </form>`}
      ${error.value ? html`<${ErrorNote} message=${error.value} />` : null}
    </section>`;
}
