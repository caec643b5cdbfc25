/**
 * Dry-run tools for the console's playground ("test your agent"): the agent gets the same tool
 * names, descriptions and schemas, but nothing is written.
 *  - read-only tools (check_availability, search_knowledge) run for real;
 *  - create_booking runs the availability check and answers what *would* be booked;
 *  - propose_price runs the real price guard (decideOffer) on the real rule without logging the
 *    offer, and its text replaces the reply exactly as in a live turn (so the floor is visible);
 *  - handoff_to_human only flags the turn (as live);
 *  - every other tool (cancel_booking, capture_lead, request_payment, …) answers what it would
 *    have done with the arguments it got.
 * Each call is recorded with its arguments and result for the playground's answer.
 */
import { decideOffer, decisionText, findRule, formatKes, listRules } from '../../core/services/commerce/pricing.ts';
import { ToolRefusal, type AgentTool, type ToolContext } from './types.ts';

export interface DryRunCall {
  name: string;
  args: Record<string, unknown>;
  /** What the model was told: the tool's result, or {ok: false, error} for a refusal. */
  result: Record<string, unknown>;
  dryRun: true;
}

const READ_ONLY = new Set(['check_availability', 'search_knowledge', 'handoff_to_human']);

async function wouldPropose(a: { product: string; customer_ask_kes?: number; proposed_price_kes?: number }, ctx: ToolContext): Promise<Record<string, unknown>> {
  const rule = await ctx.db.withTenant(ctx.tenantId, async (tx) => {
    const r = await findRule(tx, a.product);
    if (!r) throw new ToolRefusal(`No negotiable price for "${a.product}". Negotiable: ${(await listRules(tx)).filter((x) => x.active).map((x) => x.product).join(', ') || 'none'}.`);
    return r;
  });
  const cents = (kes?: number) => (kes === undefined ? undefined : Math.round(kes * 100));
  const d = decideOffer({ rule, previousOffers: [], customerAskCents: cents(a.customer_ask_kes), modelProposalCents: cents(a.proposed_price_kes) });
  const text = decisionText(d, rule.product, ctx.language);
  ctx.say(text, 'replace');
  if (d.decision === 'handoff') ctx.escalate(`negotiation: ${rule.product} ask below floor`);
  return { decision: d.decision, offered_price: d.offeredCents !== undefined ? formatKes(d.offeredCents) : null, round: d.round, max_rounds: rule.maxRounds, customer_message: text, dry_run: true };
}

/**
 * Wrap `tools` for a dry run; `calls` receives one entry per executed call (in order).
 * @param byName the live tools by name, so create_booking can use check_availability's checks.
 */
export function dryRunTools(tools: AgentTool[], calls: DryRunCall[]): AgentTool[] {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const simulate = async (t: AgentTool, a: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>> => {
    if (READ_ONLY.has(t.name)) return t.run(a, ctx);
    if (t.name === 'propose_price') return wouldPropose(a as never, ctx);
    if (t.name === 'create_booking' && byName.has('check_availability')) {
      const { notes: _n, ...slot } = a;
      const r = await byName.get('check_availability')!.run(slot, ctx);
      return r.available ? { booked: false, dry_run: true, would_book: r.slot } : { booked: false, dry_run: true, ...r };
    }
    return { dry_run: true, would_call: t.name, with: a };
  };
  return tools.map((t) => ({
    ...t,
    run: async (args: Record<string, unknown>, ctx: ToolContext) => {
      try {
        const result = await simulate(t, args, ctx);
        calls.push({ name: t.name, args, result: { ok: true, ...result }, dryRun: true });
        return result;
      } catch (err) {
        calls.push({ name: t.name, args, result: { ok: false, error: err instanceof ToolRefusal ? err.message : 'internal error' }, dryRun: true });
        throw err;
      }
    },
  }));
}
