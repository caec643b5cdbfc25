// @ts-check
/**
 * Overview (owner, admin, support): headline revenue, the 12-month MRR chart, MRR movements,
 * tenants by status and platform health (queue depth, LLM calls and errors, channels), from
 * GET /api/admin/platform-metrics.
 */
import { html } from '/web/shared/ui.js';
import { get } from './api.js';
import { kes, monthLabel, num, pct } from './format.js';
import { MrrChart } from './mrr-chart.js';
import { Badge, EmptyRow, show, useLoad } from './parts.js';

/** @typedef {import('./types.d.ts').PlatformOverview} PlatformOverview */
/** @typedef {import('./types.d.ts').MonthMetrics} MonthMetrics */

/** @type {Array<[keyof MonthMetrics, string]>} */
const MOVES = [
  ['newCents', 'New'],
  ['expansionCents', 'Expansion'],
  ['reactivationCents', 'Reactivation'],
  ['contractionCents', 'Contraction'],
  ['churnCents', 'Churn'],
];

export function Overview() {
  const load = useLoad(() => /** @type {Promise<PlatformOverview>} */ (get('/api/admin/platform-metrics')), []);
  return html`<h1 class="view-title">Overview</h1>${show(load, (o) => html`<${Body} o=${o} />`, 'platform metrics')}`;
}

/** @param {{ o: PlatformOverview }} props */
function Body({ o }) {
  const cur = o.series[o.series.length - 1];
  return html`
    <div class="kpis">
      <${Kpi} label=${`MRR (${monthLabel(o.month)})`} value=${kes(o.mrrCents)} testid="kpi-mrr" />
      <${Kpi} label="ARR" value=${kes(o.arrCents)} testid="kpi-arr" />
      <${Kpi} label="ARPA" value=${kes(o.arpaCents)} />
      <${Kpi} label="Paying tenants" value=${String(o.payingTenants)} />
      <${Kpi} label="Logo / revenue churn" value=${`${pct(cur?.logoChurnRate)} / ${pct(cur?.revenueChurnRate)}`} />
    </div>
    <section class="card"><h2>MRR, last 12 months</h2><${MrrChart} series=${o.series} /></section>
    <section class="card">
      <h2>MRR movements</h2>
      <div class="table-wrap">
        <table data-testid="movements">
          <thead><tr><th>Month</th>${MOVES.map(([, n]) => html`<th class="num wide">${n}</th>`)}<th class="num">Net</th><th class="num">MRR</th></tr></thead>
          <tbody>
            ${o.series
              .slice()
              .reverse()
              .map(
                (m) =>
                  html`<tr><td class="nowrap">${monthLabel(m.month)}</td>${MOVES.map(([k]) => html`<td class="num wide">${kes(/** @type {number} */ (m[k]))}</td>`)}<td class="num">${kes(m.netNewCents)}</td><td class="num">${kes(m.mrrCents)}</td></tr>`,
              )}
          </tbody>
        </table>
      </div>
    </section>
    <div class="grid2">
      <section class="card">
        <h2>Tenants by status</h2>
        <table data-testid="tenants-by-status"><tbody>
          ${Object.entries(o.tenantsByStatus).map(([s, n]) => html`<tr><td><${Badge} status=${s} /></td><td class="num">${n}</td></tr>`)}
          ${Object.keys(o.tenantsByStatus).length ? null : html`<${EmptyRow} cols=${2}>no tenants yet<//>`}
        </tbody></table>
      </section>
      <${Health} health=${o.health} />
    </div>`;
}

/** @param {{ label: string, value: string, testid?: string }} props */
function Kpi({ label, value, testid }) {
  return html`<div class="card kpi"><div class="muted">${label}</div><div class="v" data-testid=${testid}>${value}</div></div>`;
}

/** @param {{ health: PlatformOverview['health'] }} props */
function Health({ health }) {
  const { queues, llm, channels } = health;
  return html`
    <section class="card">
      <h2>Platform health</h2>
      <h3>Queue depth</h3>
      <table><tbody>
        ${Object.entries(queues).map(([q, n]) => html`<tr><td>${q}</td><td class="num">${num(n)}</td></tr>`)}
        ${Object.keys(queues).length ? null : html`<${EmptyRow} cols=${2}>no queue data<//>`}
      </tbody></table>
      <h3>LLM calls, last 24 h (error rate ${pct(llm.errorRate)})</h3>
      <table data-testid="llm-split"><tbody>
        ${Object.entries(llm.byProvider).map(
          ([p, v]) =>
            html`<tr><td>${p}</td><td class="num">${num(v.attempts)}</td><td class="num">${pct(llm.attempts ? v.attempts / llm.attempts : 0)}</td><td class="num">${v.errors} errors</td></tr>`,
        )}
        ${Object.keys(llm.byProvider).length ? null : html`<${EmptyRow} cols=${4}>no LLM calls<//>`}
      </tbody></table>
      <h3>Channels</h3>
      <table><tbody>
        ${channels.map((c) => html`<tr><td>${c.type} / ${c.provider}</td><td>${c.status}</td><td class="num">${c.count}</td></tr>`)}
        ${channels.length ? null : html`<${EmptyRow} cols=${3}>no phone channels<//>`}
      </tbody></table>
    </section>`;
}
