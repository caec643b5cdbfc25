// @ts-check
/**
 * LLM usage (owner, admin): attempts, replies, tokens and estimated cost per provider and per
 * tenant over the last 1 h / 24 h / 7 days (GET /api/admin/llm-usage?hours=N; cost in USD micros).
 */
import { html, useSignal } from '/web/shared/ui.js';
import { get } from './api.js';
import { num, pct } from './format.js';
import { EmptyRow, show, useLoad } from './parts.js';

/** @typedef {import('./types.d.ts').LlmUsageReport} LlmUsageReport */
/** @typedef {import('./types.d.ts').UsageSplit} UsageSplit */

/** @type {Array<[number, string]>} */
const WINDOWS = [
  [1, 'Last hour'],
  [24, 'Last 24 hours'],
  [168, 'Last 7 days'],
];
/** USD micros → "USD 1.23". @param {number} m */
const usd = (m) => `USD ${(m / 1e6).toFixed(2)}`;

/** @param {{ split: UsageSplit }} props */
const Cells = ({ split: s }) =>
  html`<td class="num">${num(s.attempts)}</td><td class="num">${num(s.ok)}</td><td class="num wide">${pct(s.replyShare)}</td><td class="num wide">${num(s.inputTokens)} / ${num(s.outputTokens)}</td><td class="num">${usd(s.costUsdMicros)}</td>`;
const Head = () => html`<th class="num">Attempts</th><th class="num">Replies</th><th class="num wide">Reply share</th><th class="num wide">Tokens in / out</th><th class="num">Cost</th>`;

export function LlmUsage() {
  const hours = useSignal(24);
  const load = useLoad(() => /** @type {Promise<LlmUsageReport>} */ (get(`/api/admin/llm-usage?hours=${hours.value}`)), [hours.value]);
  return html`
    <div class="card-head">
      <h1 class="view-title">LLM usage</h1>
      <label class="inline-label">Window
        <select onChange=${(/** @type {Event} */ e) => (hours.value = Number(/** @type {HTMLSelectElement} */ (e.currentTarget).value))}>
          ${WINDOWS.map(([h, label]) => html`<option value=${String(h)} selected=${h === hours.value}>${label}</option>`)}
        </select>
      </label>
    </div>
    ${show(
      load,
      (r) => html`
        <section class="card">
          <h2>By provider</h2>
          <div class="table-wrap">
            <table data-testid="llm-by-provider">
              <thead><tr><th>Provider</th><${Head} /></tr></thead>
              <tbody>
                ${Object.entries(r.byProvider).map(([p, s]) => html`<tr><td>${p}</td><${Cells} split=${s} /></tr>`)}
                ${Object.keys(r.byProvider).length ? html`<tr class="total"><td>All</td><${Cells} split=${r.totals} /></tr>` : html`<${EmptyRow} cols=${6}>No LLM calls in this window.<//>`}
              </tbody>
            </table>
          </div>
        </section>
        <section class="card">
          <h2>By tenant, highest cost first</h2>
          <div class="table-wrap">
            <table data-testid="llm-by-tenant">
              <thead><tr><th>Tenant</th><${Head} /></tr></thead>
              <tbody>
                ${r.byTenant.map((t) => html`<tr><td><a href=${`#/tenants/${t.tenantId}`}>${t.name}</a><div class="muted">${Object.keys(t.byProvider).join(', ')}</div></td><${Cells} split=${t} /></tr>`)}
                ${r.byTenant.length ? null : html`<${EmptyRow} cols=${6}>No tenant used the AI in this window.<//>`}
              </tbody>
            </table>
          </div>
        </section>`,
      'LLM usage',
    )}`;
}
