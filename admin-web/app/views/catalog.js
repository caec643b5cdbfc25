// @ts-check
/**
 * Catalog: items and services the agent may quote and negotiate (GET/PUT /api/tenant/prices;
 * money in KES cents on the wire, shillings on screen): list price, the floor ("never go below"
 * — the agent is never allowed to offer less), the step it concedes per round and the most
 * rounds; and the recent offers per item (GET /api/tenant/prices/offers?item=). Writes need
 * `prices` (owner/admin).
 */
import { html, signal, useEffect, useSignal } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { attempt, clearFields, ListState, loadable, Notice, Pager, pageOf } from '/web/shared/components.js';
import { dateTimeIn, kes, toCents } from '/web/shared/format.js';
import { can, tenant } from '../session.js';

/** @typedef {import('../../types/console-api.js').PriceRule} PriceRule */
const PAGE = 20;
const rules = loadable(async () => (await call('GET /api/tenant/prices')).rules);
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));

/** Form → rule body, or an error text. @param {FormData} f @returns {import('../../types/console-api.js').PriceRuleInput | string} */
function readRule(f) {
  const product = String(f.get('product') ?? '').trim();
  const listCents = toCents(String(f.get('list')));
  const floorCents = toCents(String(f.get('floor')));
  const stepCents = toCents(String(f.get('step')));
  const maxRounds = Number(f.get('rounds'));
  if (!product) return 'Give the item a name.';
  if (!(listCents > 0) || !(floorCents > 0) || !(stepCents > 0)) return 'Prices must be amounts in KES above 0.';
  if (floorCents > listCents) return 'The lowest price cannot be above the list price.';
  return { product, listCents, floorCents, stepCents, maxRounds: Number.isInteger(maxRounds) && maxRounds > 0 ? maxRounds : 3 };
}

/** @param {{ rule?: PriceRule, onDone?: () => void }} p */
function RuleForm({ rule, onDone }) {
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const body = readRule(new FormData(form));
    if (typeof body === 'string') return void (note.value = { kind: 'error', text: body });
    const ok = await attempt(note, async () => {
      // An extra percentage cap set elsewhere is kept; none is sent otherwise (the floor alone rules).
      await call('PUT /api/tenant/prices', { body: { ...body, ...(typeof rule?.maxDiscountPct === 'number' ? { maxDiscountPct: rule.maxDiscountPct } : {}) } });
      await rules.reload();
    }, `${body.product} saved: the agent will never offer less than ${kes(body.floorCents)}.`);
    if (ok && !rule) clearFields(form, ['product', 'list', 'floor', 'step']);
    if (ok) onDone?.();
  };
  const v = (/** @type {number | undefined} */ c) => (c === undefined ? '' : String(c / 100));
  return html`<form class="card" onSubmit=${submit} aria-label=${rule ? `Edit ${rule.product}` : 'Add an item'}>
    <label>Item or service <input name="product" required maxlength="200" value=${rule?.product ?? ''} readonly=${!!rule} /></label>
    <div class="row">
      <label>List price (KES) <input name="list" inputmode="decimal" required value=${v(rule?.listCents)} /></label>
      <label>Never go below (KES) <input name="floor" inputmode="decimal" required value=${v(rule?.floorCents)} /></label>
    </div>
    <div class="row">
      <label>Step per round (KES) <input name="step" inputmode="decimal" required value=${v(rule?.stepCents)} /></label>
      <label>Max rounds <input name="rounds" type="number" min="1" max="20" value=${rule?.maxRounds ?? 3} /></label>
    </div>
    <p class="hint">The agent starts at the list price, comes down by the step each round, at most the rounds you allow, and never below the lowest price.</p>
    <div class="actions"><button type="submit">${rule ? 'Save changes' : 'Add item'}</button>${rule ? html`<button type="button" onClick=${onDone}>Cancel</button>` : null}</div>
  </form>`;
}

/** @param {{ rule: PriceRule }} p */
function Offers({ rule }) {
  const offers = useSignal(/** @type {import('/web/shared/components.js').Loadable<import('../../types/console-api.js').PriceOffer[]>} */ ({ state: 'loading' }));
  useEffect(() => {
    call('GET /api/tenant/prices/offers', { query: { item: rule.id } }).then(
      (r) => (offers.value = { state: 'ready', data: r.offers.filter((o) => o.ruleId === rule.id).slice(0, 20) }),
      (err) => (offers.value = { state: 'error', error: String(err.message) }),
    );
  }, [rule.id]);
  const tz = tenant.value.timezone;
  return html`<${ListState} load=${offers} empty="No offers yet." label="offers">
    ${(/** @type {import('../../types/console-api.js').PriceOffer[]} */ rows) => html`<div class="scroll-x"><table data-testid="offers">
      <thead><tr><th>When</th><th>Round</th><th>Customer asked</th><th>Offered</th><th>Outcome</th></tr></thead>
      <tbody>${rows.map((o) => html`<tr><td>${dateTimeIn(o.createdAt, tz)}</td><td>${o.round}</td><td>${kes(o.customerAskCents)}</td><td>${kes(o.offeredCents)}</td><td>${o.decision}</td></tr>`)}</tbody>
    </table></div>`}
  <//>`;
}

/** @param {{ rule: PriceRule, writer: boolean }} p */
function RuleItem({ rule, writer }) {
  const editing = useSignal(false);
  const showOffers = useSignal(false);
  const remove = () => confirm(`Remove ${rule.product} from the catalog?`) && attempt(note, async () => {
    await call('DELETE /api/tenant/prices/:id', { params: { id: rule.id } });
    await rules.reload();
  }, `${rule.product} removed.`);
  if (editing.value) return html`<li><${RuleForm} rule=${rule} onDone=${() => (editing.value = false)} /></li>`;
  return html`<li data-testid="catalog-item" data-product=${rule.product}>
    <div class="head"><strong>${rule.product}</strong>${rule.active ? null : html`<span class="badge disabled">Inactive</span>`}</div>
    <div>List price <strong>${kes(rule.listCents)}</strong> · never below <strong data-testid="floor">${kes(rule.floorCents)}</strong></div>
    <div class="hint">Comes down ${kes(rule.stepCents)} a round, at most ${rule.maxRounds} rounds${rule.maxDiscountPct ? `, at most ${rule.maxDiscountPct}% off` : ''}.</div>
    <div class="actions">
      <button type="button" aria-expanded=${String(showOffers.value)} onClick=${() => (showOffers.value = !showOffers.value)}>${showOffers.value ? 'Hide offers' : 'Recent offers'}</button>
      ${writer ? html`<button type="button" onClick=${() => (editing.value = true)}>Edit</button><button type="button" class="danger" onClick=${remove}>Remove</button>` : null}
    </div>
    ${showOffers.value ? html`<${Offers} rule=${rule} />` : null}
  </li>`;
}

export function View() {
  const page = useSignal(1);
  const writer = can('prices');
  useEffect(() => void rules.reload(), []);
  return html`<section>
    <h1>Catalog</h1>
    <p class="hint">What you sell and how far the AI may negotiate. Prices in KES.</p>
    <${Notice} note=${note} />
    <div class="two">
      <div>
        <${ListState} load=${rules.s} empty="No items yet. Add what you sell so the agent can quote it." label="the catalog" retry=${rules.reload}>
          ${(/** @type {PriceRule[]} */ all) => {
            const { rows, hasMore } = pageOf(all, page.value, PAGE);
            return html`<ul class="items">${rows.map((r) => html`<${RuleItem} key=${r.id} rule=${r} writer=${writer} />`)}</ul>
              <${Pager} page=${page.value} hasMore=${hasMore} onPage=${(/** @type {number} */ n) => (page.value = n)} label="Catalog pages" />`;
          }}
        <//>
      </div>
      ${writer ? html`<div><h2>Add an item</h2><${RuleForm} /></div>` : null}
    </div>
  </section>`;
}
