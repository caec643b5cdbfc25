// @ts-check
/**
 * Commissions, newest month first (GET /api/admin/commissions): one per payment of a tenant with
 * a rep; owners and admins move them pending → approved → paid
 * (POST /api/admin/commissions/approve|pay {ids}). A rep sees only their own.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, get, messageOf } from './api.js';
import { kes, rate } from './format.js';
import { Badge, EmptyRow, ErrorNote, show, useLoad } from './parts.js';

/** @typedef {import('./types.d.ts').Commission} Commission */

/** @param {{ manage: boolean }} props */
export function Commissions({ manage }) {
  const load = useLoad(() => /** @type {Promise<{ commissions: Commission[] }>} */ (get('/api/admin/commissions')), []);
  const error = useSignal('');
  const busy = useSignal('');
  /** @param {'approve' | 'pay'} action @param {string[]} ids */
  const advance = async (action, ids) => {
    error.value = '';
    busy.value = ids.join();
    try {
      await call('POST', `/api/admin/commissions/${action}`, { ids });
      load.reload();
    } catch (err) {
      error.value = messageOf(err);
    } finally {
      busy.value = '';
    }
  };
  /** @param {Commission} c */
  const button = (c) => {
    if (c.status === 'pending') return html`<button type="button" class="secondary" disabled=${!!busy.value} onClick=${() => advance('approve', [c.id])}>Approve</button>`;
    if (c.status === 'approved') return html`<button type="button" class="secondary" disabled=${!!busy.value} onClick=${() => advance('pay', [c.id])}>Mark paid</button>`;
    return null;
  };
  return html`
    <section class="card">
      <h2>Commissions</h2>
      ${error.value ? html`<${ErrorNote} message=${error.value} />` : null}
      ${show(
        load,
        ({ commissions }) => html`
          <div class="table-wrap">
            <table data-testid="commissions">
              <thead><tr><th>Month</th><th>Tenant</th><th class="wide">Kind</th><th class="num wide">Payment</th><th class="num wide">Rate</th><th class="num">Commission</th><th>Status</th></tr></thead>
              <tbody>
                ${commissions.map(
                  (c) => html`
                    <tr>
                      <td class="nowrap">${c.month.slice(0, 7)}</td><td>${c.tenantName}</td><td class="wide">${c.kind}</td><td class="num wide">${kes(c.paymentCents)}</td>
                      <td class="num wide">${rate(c.rateBp)}</td><td class="num">${kes(c.amountCents)}</td><td><div class="status-cell"><${Badge} status=${c.status} />${manage ? button(c) : null}</div></td>
                    </tr>`,
                )}
                ${commissions.length ? null : html`<${EmptyRow} cols=${7}>No commissions yet.<//>`}
              </tbody>
            </table>
          </div>`,
        'commissions',
      )}
    </section>`;
}
