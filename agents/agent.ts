/**
 * The tenant agent: one turn = retrieval (knowledge base + customer memory + rolling summary of
 * what fell out of the history window) → system prompt (`prompts/general.<lang>.md`, the
 * industry's `prompts/industry/<industry>.<lang>.md` and `prompts/tools.<lang>.md`) → the tool
 * loop (agents/runtime/tool-loop.ts) with tools bound to this tenant, customer and conversation.
 * Language follows `customers.language_preference` (en, sw, sheng).
 */
import type { Database } from '../core/db/client.ts';
import type { Logger } from '../core/logger.ts';
import type { JobQueue } from '../core/queue.ts';
import { rollSummary } from '../core/services/conversations/customer-memory.ts';
import type { TurnContext } from '../core/services/conversations/messages.ts';
import type { LlmRouter } from './llm/router.ts';
import type { ChatMessage, TrafficClass } from './llm/types.ts';
import { createLocalEmbedder, type Embedder } from './memory/embedder.ts';
import { recallForTurn, type TurnRecall } from './memory/retrieval.ts';
import type { PromptLibrary } from './prompts.ts';
import { runToolLoop, type LoopResult } from './runtime/tool-loop.ts';
import { AGENT_TOOLS } from './tools/index.ts';
import { loadPriceFacts, maxSideEffects } from './guard/facts.ts';

export const PROMPT_VARS = ['tenant.name', 'industry', 'channel', 'profile', 'language', 'today'] as const;
/** Messages the model sees verbatim; older ones are folded into the conversation's summary. */
export const HISTORY_WINDOW = 20;

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  sw: 'Swahili',
  sheng: 'Sheng (Nairobi street Swahili-English mix)',
};

export interface AgentDeps {
  router: LlmRouter;
  prompts: PromptLibrary;
  /** Tools and memory need these; without `db` the turn is a plain reply (no tools). */
  db?: Database;
  queue?: JobQueue;
  /** Same embedder as the `kb_embed` job (vectors are per model); default: local. */
  embedder?: Embedder;
  log?: Logger;
  /** Model calls per turn (default 6) and turn deadline in ms (default 60 000). */
  maxSteps?: number;
  turnDeadlineMs?: number;
  now?: () => Date;
}

/** A turn's reply: the router's result plus an escalation reason for staff, when any. */
export type AgentTurnResult = LoopResult;

const localEmbedder = createLocalEmbedder();

/** The system prompt for a turn. */
export function systemPrompt(prompts: PromptLibrary, ctx: TurnContext): string {
  const p = ctx.tenant.profile ?? {};
  const profile = Object.entries(p)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
  return prompts.render('general', ctx.customer.languagePreference, { ...promptVars(ctx), profile: profile || '- (no details provided yet)' });
}

/** Template variables for a turn (`profile` is filled by systemPrompt). */
function promptVars(ctx: TurnContext): Record<string, string> {
  const lang = ctx.customer.languagePreference;
  const today = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Africa/Nairobi',
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date());
  return {
    'tenant.name': ctx.tenant.name,
    industry: ctx.tenant.industry.replace('_', ' '),
    channel: ctx.channel.type === 'webchat' ? 'the website chat' : ctx.channel.type === 'sms' ? 'SMS' : 'WhatsApp',
    profile: '',
    language: LANGUAGE_NAMES[lang] ?? 'English',
    today: `${today} (Nairobi time, UTC+3)`,
  };
}

/** History → chat messages: customer turns as user, AI and staff replies as assistant. */
export function historyMessages(ctx: TurnContext): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of ctx.history) {
    if (m.direction === 'inbound') out.push({ role: 'user', content: m.text });
    else out.push({ role: 'assistant', content: m.sender === 'staff' ? `[staff member] ${m.text}` : m.text });
  }
  // Providers require the first turn to come from the user.
  while (out.length && out[0]!.role !== 'user') out.shift();
  return out;
}

/** Retrieved context as a system-prompt section ('' when empty). */
export function contextSection(recall: TurnRecall, summary: string): string {
  const parts: string[] = [];
  if (summary) parts.push(`Earlier in this conversation (summary):\n${summary}`);
  if (recall.memory.length) parts.push(`What we know about this customer:\n${recall.memory.map((m) => `- ${m.content.replace(/\n/g, ' ')}`).join('\n')}`);
  if (recall.knowledge.length)
    parts.push(`From the business's knowledge base (use only if relevant):\n${recall.knowledge.map((k) => `- [${k.title}] ${k.content.replace(/\n/g, ' ')}`).join('\n')}`);
  return parts.join('\n\n');
}

/**
 * Run one agent turn. Never throws for provider failures (the router ends with the offline
 * reply); tool failures are fed back to the model; step limit/deadline → fallback + escalation.
 * Every reply passes the answer guard (agents/guard/) inside the tool loop.
 */
export async function runAgentTurn(deps: AgentDeps, ctx: TurnContext, trafficClass: TrafficClass, signal?: AbortSignal): Promise<AgentTurnResult> {
  const meta = { tenantId: ctx.tenant.id, conversationId: ctx.conversation.id, class: trafficClass };
  const lang = ctx.customer.languagePreference;
  const base = systemPrompt(deps.prompts, ctx);
  if (!deps.db || !deps.queue) {
    const r = await deps.router.generate({ system: base, messages: historyMessages(ctx), maxTokens: 512, signal }, meta);
    return { ...r, toolsUsed: [], steps: 1 };
  }
  const db = deps.db;
  const embedder = deps.embedder ?? localEmbedder;
  const who = { customerId: ctx.customer.id, conversationId: ctx.conversation.id };
  const summary =
    ctx.history.length >= HISTORY_WINDOW
      ? await db.withTenant(ctx.tenant.id, (tx) =>
          rollSummary(tx, { tenantId: ctx.tenant.id, ...who, before: ctx.history[0]!.createdAt }),
        )
      : '';
  const prices = await db.withTenant(ctx.tenant.id, (tx) => loadPriceFacts(tx, ctx.tenant.profile?.prices));
  const recall = await recallForTurn({ db, embedder, tenantId: ctx.tenant.id, log: deps.log }, who, ctx.message.text);
  const vars = promptVars(ctx);
  const sections = [
    base,
    deps.prompts.has(`industry/${ctx.tenant.industry}`) ? deps.prompts.render(`industry/${ctx.tenant.industry}`, lang, vars) : '',
    deps.prompts.has('tools') ? deps.prompts.render('tools', lang, vars) : '',
    contextSection(recall, summary),
  ];
  return runToolLoop(
    deps.router,
    { system: sections.filter(Boolean).join('\n\n'), messages: historyMessages(ctx), maxTokens: 512 },
    meta,
    AGENT_TOOLS,
    {
      db,
      queue: deps.queue,
      embedder,
      log: deps.log,
      tenantId: ctx.tenant.id,
      tenantName: ctx.tenant.name,
      customerId: ctx.customer.id,
      conversationId: ctx.conversation.id,
      inboundMessageId: ctx.message.id,
      language: lang,
      now: deps.now ?? (() => new Date()),
    },
    {
      maxSteps: deps.maxSteps ?? 6,
      deadlineMs: deps.turnDeadlineMs ?? 60_000,
      log: deps.log,
      signal,
      prices,
      maxSideEffects: maxSideEffects(ctx.tenant.settings),
    },
  );
}
