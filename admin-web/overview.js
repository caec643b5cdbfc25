// Overview: headline revenue, the 12-month MRR chart (uPlot), movements, tenants by status, health.
import { api, esc, kes, pct } from './api.js';

const MOVES = [
  ['newCents', 'New'],
  ['expansionCents', 'Expansion'],
  ['reactivationCents', 'Reactivation'],
  ['contractionCents', 'Contraction'],
  ['churnCents', 'Churn'],
];

export async function renderOverview(el) {
  const o = await api('GET', '/api/admin/platform-metrics');
  const cur = o.series[o.series.length - 1];
  const label = (m) => new Date(`${m}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });
  el.innerHTML = `
    <div class="kpis">
      <div class="card kpi"><div class="muted">MRR (${esc(label(o.month))})</div><div class="v" data-testid="kpi-mrr">${kes(o.mrrCents)}</div></div>
      <div class="card kpi"><div class="muted">ARR</div><div class="v" data-testid="kpi-arr">${kes(o.arrCents)}</div></div>
      <div class="card kpi"><div class="muted">ARPA</div><div class="v">${kes(o.arpaCents)}</div></div>
      <div class="card kpi"><div class="muted">Paying tenants</div><div class="v">${o.payingTenants}</div></div>
      <div class="card kpi"><div class="muted">Logo / revenue churn</div><div class="v">${pct(cur.logoChurnRate)} / ${pct(cur.revenueChurnRate)}</div></div>
    </div>
    <div class="card"><h3>MRR, last 12 months</h3><div id="mrr-chart" data-testid="mrr-chart"></div></div>
    <div class="card"><h3>MRR movements</h3>
      <table data-testid="movements"><thead><tr><th>Month</th>${MOVES.map(([, n]) => `<th class="num">${n}</th>`).join('')}<th class="num">Net</th><th class="num">MRR</th></tr></thead>
      <tbody>${o.series
        .slice()
        .reverse()
        .map((m) => `<tr><td>${esc(label(m.month))}</td>${MOVES.map(([k]) => `<td class="num">${kes(m[k])}</td>`).join('')}<td class="num">${kes(m.netNewCents)}</td><td class="num">${kes(m.mrrCents)}</td></tr>`)
        .join('')}</tbody></table></div>
    <div class="grid2">
      <div class="card"><h3>Tenants by status</h3><table data-testid="tenants-by-status">${Object.entries(o.tenantsByStatus)
        .map(([s, n]) => `<tr><td><span class="badge ${esc(s)}">${esc(s)}</span></td><td class="num">${n}</td></tr>`)
        .join('')}</table></div>
      <div class="card"><h3>Platform health</h3>
        <p class="muted">Queue depth</p><table>${Object.entries(o.health.queues).map(([q, n]) => `<tr><td>${esc(q)}</td><td class="num">${n}</td></tr>`).join('') || '<tr><td class="muted">no queue data</td></tr>'}</table>
        <p class="muted">LLM calls, last 24 h (error rate ${pct(o.health.llm.errorRate)})</p>
        <table data-testid="llm-split">${Object.entries(o.health.llm.byProvider)
          .map(([p, v]) => `<tr><td>${esc(p)}</td><td class="num">${v.attempts}</td><td class="num">${pct(o.health.llm.attempts ? v.attempts / o.health.llm.attempts : 0)}</td><td class="num">${v.errors} errors</td></tr>`)
          .join('') || '<tr><td class="muted">no LLM calls</td></tr>'}</table>
        <p class="muted">Channels</p><table>${o.health.channels.map((c) => `<tr><td>${esc(c.type)} / ${esc(c.provider)}</td><td>${esc(c.status)}</td><td class="num">${c.count}</td></tr>`).join('') || '<tr><td class="muted">no phone channels</td></tr>'}</table>
      </div>
    </div>`;
  drawChart(el.querySelector('#mrr-chart'), o.series);
}

function drawChart(host, series) {
  const xs = series.map((m) => Date.parse(`${m.month}T00:00:00Z`) / 1000);
  const ys = series.map((m) => m.mrrCents / 100);
  const width = Math.max(320, host.clientWidth || 800);
  // uPlot (served from node_modules): one line series, KES on the y axis, months on the x axis.
  new window.uPlot(
    {
      width,
      height: 260,
      scales: { x: { time: true } },
      series: [{}, { label: 'MRR (KES)', stroke: '#0b7a53', width: 2, fill: 'rgba(11,122,83,0.08)', points: { show: true } }],
      axes: [{ values: (_u, v) => v.map((t) => new Date(t * 1000).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' })) }, { values: (_u, v) => v.map((n) => n.toLocaleString('en-US')), size: 70 }],
    },
    [xs, ys],
    host,
  );
}
