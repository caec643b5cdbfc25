// Sales team: reps (rates, territories, tenants, MRR), the leads pipeline, commissions by month and
// the monthly leaderboard. A rep sees only their own rows (the API enforces it).
import { api, esc, kes } from './api.js';

const STAGES = ['new', 'contacted', 'demo', 'negotiating', 'won', 'lost'];

export async function renderSales(el, me) {
  const month = new Date().toISOString().slice(0, 7);
  const [{ reps }, { leads }, perf, comm] = await Promise.all([
    api('GET', '/api/admin/sales/reps'),
    api('GET', '/api/admin/sales/leads'),
    api('GET', `/api/admin/sales-performance?month=${month}`),
    api('GET', '/api/admin/commissions'),
  ]);
  const manage = me.role === 'owner' || me.role === 'admin';
  el.innerHTML = `
    <div class="card"><h3>Sales reps</h3><table data-testid="reps-table"><thead><tr><th>Rep</th><th>Phone</th><th class="num">First / recurring rate</th><th>Territories</th><th class="num">Tenants</th><th class="num">MRR</th><th class="num">Open leads</th></tr></thead><tbody>
      ${reps
        .map(
          (r) => `<tr data-rep="${esc(r.id)}"><td>${esc(r.name || r.email)}<div class="muted">${esc(r.email)}</div></td><td>${esc(r.phone || '–')}</td>
          <td class="num">${manage ? `<input size="4" data-f="firstPaymentRateBp" value="${r.firstPaymentRateBp / 100}">% / <input size="4" data-f="recurringRateBp" value="${r.recurringRateBp / 100}">%` : `${r.firstPaymentRateBp / 100}% / ${r.recurringRateBp / 100}%`}</td>
          <td>${manage ? `<input data-f="territories" value="${esc(r.territories.join(', '))}">` : esc(r.territories.join(', ') || '–')}</td>
          <td class="num">${r.tenants}</td><td class="num">${kes(r.mrrCents)}</td><td class="num">${r.openLeads}</td></tr>`,
        )
        .join('') || '<tr><td class="muted" colspan="7">no sales reps yet (aizalo user create --role sales --phone +E164 …)</td></tr>'}
    </tbody></table>${manage && reps.length ? '<button id="save-rates">Save rates and territories</button> <span id="rates-msg" class="muted"></span>' : ''}</div>
    <div class="card"><h3>Leaderboard, ${esc(perf.month.slice(0, 7))}</h3><table data-testid="leaderboard"><thead><tr><th>Rep</th><th class="num">Payments</th><th class="num">New tenants</th><th class="num">Revenue</th><th class="num">Commission</th></tr></thead><tbody>
      ${perf.leaderboard.map((r) => `<tr><td>${esc(r.name || r.email)}</td><td class="num">${r.payments}</td><td class="num">${r.newTenants}</td><td class="num">${kes(r.revenueCents)}</td><td class="num">${kes(r.commissionCents)}</td></tr>`).join('')}
    </tbody></table></div>
    <div class="card"><h3>Leads pipeline</h3>
      <form id="lead-form" class="filters"><input name="name" placeholder="Business" required><input name="phone" placeholder="+2547…"><input name="industry" placeholder="industry"><button>Add lead</button></form>
      <div class="pipeline" data-testid="pipeline">${STAGES.map(
        (s) => `<div class="col"><h4>${s}</h4>${leads
          .filter((l) => l.stage === s)
          .map((l) => `<div class="lead" data-testid="lead">${esc(l.name)}<div class="muted">${esc(l.phone || '')}</div><select data-lead="${esc(l.id)}">${STAGES.map((x) => `<option ${x === s ? 'selected' : ''}>${x}</option>`).join('')}</select></div>`)
          .join('')}</div>`,
      ).join('')}</div></div>
    <div class="card"><h3>Commissions</h3><table data-testid="commissions"><thead><tr><th>Month</th><th>Tenant</th><th>Kind</th><th class="num">Payment</th><th class="num">Rate</th><th class="num">Commission</th><th>Status</th>${manage ? '<th></th>' : ''}</tr></thead><tbody>
      ${comm.commissions
        .map(
          (c) => `<tr><td>${esc(c.month.slice(0, 7))}</td><td>${esc(c.tenantName)}</td><td>${esc(c.kind)}</td><td class="num">${kes(c.paymentCents)}</td><td class="num">${c.rateBp / 100}%</td><td class="num">${kes(c.amountCents)}</td><td><span class="badge">${esc(c.status)}</span></td>
          ${manage ? `<td>${c.status === 'pending' ? `<button class="secondary" data-c="approve" data-id="${esc(c.id)}">Approve</button>` : c.status === 'approved' ? `<button class="secondary" data-c="pay" data-id="${esc(c.id)}">Mark paid</button>` : ''}</td>` : ''}</tr>`,
        )
        .join('') || '<tr><td class="muted" colspan="8">no commissions yet</td></tr>'}
    </tbody></table></div>`;

  el.querySelector('#save-rates')?.addEventListener('click', async () => {
    for (const row of el.querySelectorAll('tr[data-rep]')) {
      const v = (f) => row.querySelector(`[data-f="${f}"]`).value;
      await api('PATCH', `/api/admin/sales/reps/${row.dataset.rep}`, {
        firstPaymentRateBp: Math.round(Number(v('firstPaymentRateBp')) * 100),
        recurringRateBp: Math.round(Number(v('recurringRateBp')) * 100),
        territories: v('territories').split(',').map((s) => s.trim()).filter(Boolean),
      });
    }
    el.querySelector('#rates-msg').textContent = 'Saved.';
  });
  el.querySelector('#lead-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = Object.fromEntries([...new FormData(e.target)].filter(([, v]) => v));
    await api('POST', '/api/admin/sales/leads', f);
    renderSales(el, me);
  });
  el.querySelectorAll('select[data-lead]').forEach((s) =>
    s.addEventListener('change', async () => {
      await api('PATCH', `/api/admin/sales/leads/${s.dataset.lead}`, { stage: s.value });
      renderSales(el, me);
    }),
  );
  el.querySelectorAll('button[data-c]').forEach((b) =>
    b.addEventListener('click', async () => {
      await api('POST', `/api/admin/commissions/${b.dataset.c}`, { ids: [b.dataset.id] });
      renderSales(el, me);
    }),
  );
}
