// @ts-check
/**
 * One tenant (#/tenants/<id>): subscription, this month's usage and AI cost against the fee,
 * payments; suspend / restore and cancel the subscription (owner, admin), view as tenant (owner
 * only: POST /api/admin/tenants/:id/view-as re-issues the session read-only for that tenant and
 * the inbox opens). Data from GET /api/admin/tenants-billing/:id.
 */
import { html, useSignal } from '/web/shared/ui.js';
import { call, get, messageOf } from './api.js';
import { day, kes, num, pct, when } from './format.js';
import { canManage } from './session.js';
import { Badge, EmptyRow, ErrorNote, show, useLoad } from './parts.js';

/** @typedef {import('./types.d.ts').TenantDetail} TenantDetail */
/** @typedef {import('./types.d.ts').Me} Me */

/** @param {{ me: Me, arg?: string }} props */
export function TenantDetail({ me, arg = '' }) {
  const id = encodeURIComponent(arg);
  const load = useLoad(() => /** @type {Promise<TenantDetail>} */ (get(`/api/admin/tenants-billing/${id}`)), [id]);
  const busy = useSignal('');
  const error = useSignal('');

  /** @param {string} what @param {() => Promise<unknown>} fn */
  const act = async (what, fn) => {
    busy.value = what;
    error.value = '';
    try {
      await fn();
      load.reload();
    } catch (err) {
      error.value = messageOf(err);
    } finally {
      busy.value = '';
    }
  };
  /** @param {TenantDetail['tenant']} t */
  const actions = (t) => {
    const manage = canManage(me);
    const b = busy.value;
    return html`
      <div class="actions">
        ${manage && t.status !== 'suspended'
          ? html`<button type="button" class="danger" disabled=${!!b} data-testid="suspend" onClick=${() => act('suspend', () => call('POST', `/api/admin/tenants/${id}/suspend`, {}))}>${b === 'suspend' ? 'Suspending…' : 'Suspend'}</button>`
          : null}
        ${manage && t.status === 'suspended'
          ? html`<button type="button" disabled=${!!b} data-testid="restore" onClick=${() => act('restore', () => call('POST', `/api/admin/tenants/${id}/restore`, {}))}>${b === 'restore' ? 'Restoring…' : 'Restore'}</button>`
          : null}
        ${manage && t.subscriptionStatus !== 'canceled'
          ? html`<button
              type="button"
              class="secondary"
              disabled=${!!b}
              onClick=${() => confirm(`Cancel ${t.name}'s subscription? The AI stops answering for this business.`) && act('cancel', () => call('POST', `/api/admin/tenants-billing/${id}/cancel`))}
            >Cancel subscription</button>`
          : null}
        ${me.role === 'owner'
          ? html`<button type="button" class="secondary" disabled=${!!b} data-testid="view-as" onClick=${() => act('view-as', async () => {
              await call('POST', `/api/admin/tenants/${id}/view-as`);
              location.href = '/admin/inbox';
            })}>View as tenant</button>`
          : null}
        <a href=${`/chat/${t.slug}`} target="_blank" rel="noopener">Web chat</a>
      </div>`;
  };

  return html`
    <p><a href="#/tenants">← Tenants</a></p>
    ${show(
      load,
      (d) => html`
        <section class="card" data-testid="tenant-detail">
          <h1 class="detail-title">${d.tenant.name} <${Badge} status=${d.tenant.status} testid="detail-status" /></h1>
          <p class="muted">${[
            d.tenant.slug,
            `plan ${d.tenant.planId} (${kes(d.tenant.feeCents)}/month)`,
            `subscription ${d.tenant.subscriptionStatus ?? '–'}`,
            `trial ends ${when(d.tenant.trialEndsAt)}`,
            `paid through ${when(d.tenant.currentPeriodEnd)}`,
          ].join(' · ')}</p>
          ${actions(d.tenant)}
          ${error.value ? html`<${ErrorNote} message=${error.value} />` : null}
        </section>
        <div class="grid2">
          <${Usage} usage=${d.usage} />
          <${Payments} payments=${d.payments} />
        </div>`,
      'the tenant',
    )}`;
}

/** @param {{ usage: TenantDetail['usage'] }} props */
function Usage({ usage: u }) {
  return html`
    <section class="card">
      <h2>Usage, ${u.month.slice(0, 7)}</h2>
      <table><tbody>
        <tr><td>Messages in / out</td><td class="num">${num(u.messagesIn)} / ${num(u.messagesOut)}</td></tr>
        <tr><td>AI calls / tokens</td><td class="num">${num(u.aiCalls)} / ${num(u.aiTokens)}</td></tr>
        <tr><td>AI cost</td><td class="num" data-testid="ai-cost">${kes(u.aiCostKesCents)} (USD ${(u.aiCostUsdMicros / 1e6).toFixed(2)})</td></tr>
        <tr><td>Share of the fee</td><td class="num">${pct(u.aiCostShareOfFee)}</td></tr>
      </tbody></table>
    </section>`;
}

/** @param {{ payments: TenantDetail['payments'] }} props */
function Payments({ payments }) {
  return html`
    <section class="card">
      <h2>Payments</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th>Paid</th><th>Reference</th><th class="wide">Plan</th><th class="num">Amount</th></tr></thead>
          <tbody>
            ${payments.map((p) => html`<tr><td class="nowrap">${day(p.paidAt)}</td><td>${p.reference}</td><td class="wide">${p.planId}</td><td class="num">${kes(p.amountCents)}</td></tr>`)}
            ${payments.length ? null : html`<${EmptyRow} cols=${4}>no payments yet<//>`}
          </tbody>
        </table>
      </div>
    </section>`;
}
