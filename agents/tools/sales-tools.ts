/**
 * `capture_lead`, `propose_price`, `search_knowledge`, `handoff_to_human`.
 *
 * capture_lead: the customer's open lead; the agent may only move it forward; a `follow_up_at`
 * schedules the delayed `lead_followup` job (jobId per lead + time, so re-captures dedupe).
 * propose_price: the deterministic guard (core/services/commerce/pricing.ts) decides and its text
 * replaces the model's reply; below floor after the last round → handoff.
 */
import { Type } from '@sinclair/typebox';
import { addFact } from '../../core/services/conversations/customer-memory.ts';
import { followUpJobId, upsertLead } from '../../core/services/commerce/leads.ts';
import { decisionText, findRule, formatKes, listRules, negotiate } from '../../core/services/commerce/pricing.ts';
import { searchKnowledge } from '../memory/retrieval.ts';
import { defineTool, ToolRefusal } from './types.ts';

const Stage = Type.Union(['new', 'contacted', 'qualified', 'negotiating', 'won', 'lost'].map((s) => Type.Literal(s)), {
  description: 'Pipeline stage (forward only).',
});

export const captureLeadTool = defineTool({
  name: 'capture_lead',
  description: "Record or update this customer's sales lead: interest, stage, score, value, and optionally when to follow up.",
  schema: Type.Object(
    {
      interest: Type.Optional(Type.String({ maxLength: 300, description: 'What they want, in a few words.' })),
      stage: Type.Optional(Stage),
      score: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Likelihood to buy, 0-100.' })),
      value_kes: Type.Optional(Type.Number({ minimum: 0, description: 'Expected deal value in Kenya shillings.' })),
      notes: Type.Optional(Type.String({ maxLength: 1000 })),
      follow_up_at: Type.Optional(Type.String({ description: 'When to follow up, ISO 8601 date-time with offset.' })),
      follow_up_message: Type.Optional(Type.String({ maxLength: 600, description: 'Text to send at follow_up_at.' })),
    },
    { additionalProperties: false },
  ),
  run: async (a, ctx) => {
    let followUpAt: Date | undefined;
    if (a.follow_up_at !== undefined) {
      followUpAt = new Date(a.follow_up_at);
      if (Number.isNaN(followUpAt.getTime())) throw new ToolRefusal('follow_up_at must be an ISO 8601 date-time.');
      if (followUpAt.getTime() < ctx.now().getTime() - 60_000) throw new ToolRefusal('follow_up_at is in the past.');
    }
    const { lead, created, ignoredStage } = await ctx.db.withTenant(ctx.tenantId, async (tx) => {
      const r = await upsertLead(
        tx,
        { tenantId: ctx.tenantId, customerId: ctx.customerId, conversationId: ctx.conversationId },
        {
          stage: a.stage as never,
          score: a.score,
          valueCents: a.value_kes !== undefined ? Math.round(a.value_kes * 100) : undefined,
          interest: a.interest,
          notes: a.notes,
          followUpAt,
          followUpMessage: a.follow_up_message,
        },
        { forwardOnly: true },
      );
      if (a.interest) await addFact(tx, { tenantId: ctx.tenantId, customerId: ctx.customerId, conversationId: ctx.conversationId, content: `Interested in: ${a.interest}` });
      return r;
    });
    if (followUpAt && lead.followUpAt)
      await ctx.queue.enqueue(
        'lead_followup',
        { tenantId: ctx.tenantId, leadId: lead.id, dueAt: lead.followUpAt.toISOString() },
        { jobId: followUpJobId(lead.id, lead.followUpAt), delayMs: Math.max(0, lead.followUpAt.getTime() - Date.now()) },
      );
    return {
      lead_id: lead.id,
      created,
      stage: lead.stage,
      score: lead.score,
      follow_up_at: lead.followUpAt?.toISOString() ?? null,
      ...(ignoredStage ? { note: `stage not moved back to ${ignoredStage}` } : {}),
    };
  },
});

export const proposePriceTool = defineTool({
  name: 'propose_price',
  description:
    'Negotiate a price for a product. Give the customer\'s ask and the price you would like to offer; a pricing policy decides the actual offer, and its answer is what the customer is told.',
  schema: Type.Object(
    {
      product: Type.String({ description: 'Product or service name.' }),
      customer_ask_kes: Type.Optional(Type.Number({ minimum: 0, description: 'Price the customer asked for, KES.' })),
      proposed_price_kes: Type.Optional(Type.Number({ minimum: 0, description: 'Price you propose to offer, KES.' })),
    },
    { additionalProperties: false },
  ),
  run: async (a, ctx) => {
    const d = await ctx.db.withTenant(ctx.tenantId, async (tx) => {
      const rule = await findRule(tx, a.product);
      if (!rule) throw new ToolRefusal(`No negotiable price for "${a.product}". Negotiable: ${(await listRules(tx)).filter((r) => r.active).map((r) => r.product).join(', ') || 'none'}.`);
      const who = { tenantId: ctx.tenantId, customerId: ctx.customerId, conversationId: ctx.conversationId };
      const cents = (kes?: number) => (kes === undefined ? undefined : Math.round(kes * 100));
      return { rule, d: await negotiate(tx, who, rule, { customerAskCents: cents(a.customer_ask_kes), modelProposalCents: cents(a.proposed_price_kes), sourceMessageId: ctx.inboundMessageId }) };
    });
    const text = decisionText(d.d, d.rule.product, ctx.language);
    ctx.say(text, 'replace');
    if (d.d.decision === 'handoff') ctx.escalate(`negotiation: ${d.rule.product} ask below floor after ${d.rule.maxRounds} rounds`);
    return {
      decision: d.d.decision,
      offered_price: d.d.offeredCents !== undefined ? formatKes(d.d.offeredCents) : null,
      round: d.d.round,
      max_rounds: d.rule.maxRounds,
      customer_message: text,
    };
  },
});

export const searchKnowledgeTool = defineTool({
  name: 'search_knowledge',
  description: "Search the business's knowledge base (policies, FAQs, services) for facts to answer with.",
  schema: Type.Object({ query: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
  run: async (a, ctx) => {
    const hits = await searchKnowledge(ctx, a.query, 5);
    return { results: hits.map((h) => ({ title: h.title, text: h.content, score: Number((1 - h.distance).toFixed(3)) })) };
  },
});

export const handoffTool = defineTool({
  name: 'handoff_to_human',
  description: 'Hand the conversation to a member of staff, with the reason. Tell the customer someone will follow up.',
  schema: Type.Object(
    {
      reason: Type.String({ minLength: 2, maxLength: 300 }),
      category: Type.Optional(
        Type.Union(['customer_request', 'missing_knowledge', 'unsupported_request', 'policy_restriction'].map((s) => Type.Literal(s)), {
          description: 'Why: the customer asked for a person, the answer is not in the knowledge base, the request is not something you can do, or a rule forbids it.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  run: async (a, ctx) => {
    // `code: detail` (core/services/conversations/escalation-reasons.ts); the legacy "handoff:" form maps to unsupported_request.
    ctx.escalate(a.category ? `${a.category}: ${a.reason}` : `handoff: ${a.reason}`);
    return { handed_off: true };
  },
});
