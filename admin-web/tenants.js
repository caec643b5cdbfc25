// Tenants: searchable, filterable list (plan, status, MRR, rep, last activity) and one tenant's
// detail (subscription, usage and AI cost against the fee, payments; suspend / restore; view as).
import { api, esc, kes, pct } from './api.js';

const STATUSES = ['trial', 'active', 'past_due', 'suspended', 'canceled'];
const PLANS = ['starter', 'professional', 'growth'];
const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–');

export async function renderTenants(el, me, id) {
  if (id) return renderDetail(el, me, id);
  const params = new URLSearchParams(sessionStorage.getItem('tenant-filters') || '');
  el.innerHTML = `
    <div class="card">
      <form class="filters" id="tenant-filters">
        <input name="q" placeholder="Search name or slug" value="${esc(params.get('q') || '')}" data-testid="tenant-search">
        <select name="status" data-testid="tenant-status-filter"><option value="">Any status</option>${STATUSES.map((s) => `<option ${params.get('status') === s ? 'selected' : ''}>${s}</option>`).join('')}</select>
        <select name="plan"><option value="">Any plan</option>${PLANS.map((p) => `<option ${params.get('plan') === p ? 'selected' : ''}>${p}</option>`).join('')}</select>
        <button type="submit">Filter</button>
      </form>
      <p class="muted" id="tenant-count"></p>
      <table data-testid="tenants-table"><thead><tr><th>Tenant</th><th>Plan</th><th>Status</th><th class="num">MRR</th><th>Sales rep</th><th>Last activity</th></tr></thead><tbody id="tenant-rows"></tbody></table>
    </div>`;
  const form = el.querySelector('#tenant-filters');
  const load = async () => {
    const q = new URLSearchParams([...new FormData(form)].filter(([, v]) => v));
    sessionStorage.setItem('tenant-filters', q.toString());
    const { tenants, total } = await api('GET', `/api/admin/tenants-billing?${q}`);
    el.querySelector('#tenant-count').textContent = `${total} tenant${total === 1 ? '' : 's'}`;
    el.querySelector('#tenant-rows').innerHTML = tenants
      .map(
        (t) => `<tr class="clickable" data-testid="tenant-row" data-slug="${esc(t.slug)}" data-id="${esc(t.id)}">
          <td><strong>${esc(t.name)}</strong><div class="muted">${esc(t.slug)} · ${esc(t.industry)}</div></td><td>${esc(t.planId)}</td>
          <td><span class="badge ${esc(t.status)}" data-testid="tenant-status">${esc(t.status)}</span></td><td class="num">${kes(t.mrrCents)}</td>
          <td>${esc(t.repName || '–')}</td><td>${when(t.lastActivityAt)}</td></tr>`,
      )
      .join('');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  el.querySelector('#tenant-rows').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (row) location.hash = `#/tenants/${row.dataset.id}`;
  });
  await load();
}

async function renderDetail(el, me, id) {
  const d = await api('GET', `/api/admin/tenants-billing/${encodeURIComponent(id)}`);
  const t = d.tenant;
  const u = d.usage;
  const canSuspend = me.role === 'owner' || me.role === 'admin';
  el.innerHTML = `
    <p><a href="#/tenants">← Tenants</a></p>
    <div class="card" data-testid="tenant-detail">
      <h2>${esc(t.name)} <span class="badge ${esc(t.status)}" data-testid="detail-status">${esc(t.status)}</span></h2>
      <p class="muted">${esc(t.slug)} · plan ${esc(t.planId)} (${kes(t.feeCents)}/month) · subscription ${esc(t.subscriptionStatus || '–')}
        · trial ends ${when(t.trialEndsAt)} · paid through ${when(t.currentPeriodEnd)}</p>
      <p>
        ${canSuspend ? `<button class="danger" data-act="suspend" data-testid="suspend" ${t.status === 'suspended' ? 'hidden' : ''}>Suspend</button>
        <button data-act="restore" data-testid="restore" ${t.status !== 'suspended' ? 'hidden' : ''}>Restore</button>
        <button class="secondary" data-act="cancel" ${t.subscriptionStatus === 'canceled' ? 'hidden' : ''}>Cancel subscription</button>` : ''}
        ${me.role === 'owner' ? '<button class="secondary" data-act="view-as" data-testid="view-as">View as tenant</button>' : ''}
        <a href="/chat/${esc(t.slug)}" target="_blank" rel="noopener">Web chat</a>
      </p>
      <p class="error" id="detail-error"></p>
    </div>
    <div class="grid2">
      <div class="card"><h3>Usage, ${esc(u.month.slice(0, 7))}</h3><table>
        <tr><td>Messages in / out</td><td class="num">${u.messagesIn} / ${u.messagesOut}</td></tr>
        <tr><td>AI calls / tokens</td><td class="num">${u.aiCalls} / ${u.aiTokens.toLocaleString('en-US')}</td></tr>
        <tr><td>AI cost</td><td class="num" data-testid="ai-cost">${kes(u.aiCostKesCents)} (USD ${(u.aiCostUsdMicros / 1e6).toFixed(2)})</td></tr>
        <tr><td>Share of the fee</td><td class="num">${pct(u.aiCostShareOfFee)}</td></tr></table></div>
      <div class="card"><h3>Payments</h3><table><thead><tr><th>Paid</th><th>Reference</th><th>Plan</th><th class="num">Amount</th></tr></thead><tbody>
        ${d.payments.map((p) => `<tr><td>${when(p.paidAt)}</td><td>${esc(p.reference)}</td><td>${esc(p.planId)}</td><td class="num">${kes(p.amountCents)}</td></tr>`).join('') || '<tr><td class="muted" colspan="4">no payments yet</td></tr>'}
      </tbody></table></div>
    </div>`;
  el.querySelectorAll('[data-act]').forEach((b) =>
    b.addEventListener('click', async () => {
      try {
        if (b.dataset.act === 'view-as') {
          await api('POST', `/api/admin/tenants/${id}/view-as`);
          location.href = '/admin/inbox';
          return;
        }
        if (b.dataset.act === 'cancel') {
          if (!confirm(`Cancel ${t.name}'s subscription? The AI stops answering for this business.`)) return;
          await api('POST', `/api/admin/tenants-billing/${id}/cancel`);
        } else await api('POST', `/api/admin/tenants/${id}/${b.dataset.act}`, {});
        await renderDetail(el, me, id);
      } catch (err) {
        el.querySelector('#detail-error').textContent = err.message;
      }
    }),
  );
}
