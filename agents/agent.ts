/**
 * The tenant agent: turns a conversation's recent history into one reply through the router.
 * The system prompt comes from `prompts/general.<lang>.md` with the tenant's profile (name,
 * industry, hours, prices, description).
 */
import type { TurnContext } from '../core/services/messages.ts';
import type { LlmRouter, RoutedResult } from './llm/router.ts';
import type { ChatMessage, TrafficClass } from './llm/types.ts';
import type { PromptLibrary } from './prompts.ts';

export const PROMPT_VARS = ['tenant.name', 'industry', 'channel', 'profile', 'language'] as const;

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  sw: 'Swahili',
  sheng: 'Sheng (Nairobi street Swahili-English mix)',
};

export interface AgentDeps {
  router: LlmRouter;
  prompts: PromptLibrary;
}

/** The system prompt for a turn. */
export function systemPrompt(prompts: PromptLibrary, ctx: TurnContext): string {
  const p = ctx.tenant.profile ?? {};
  const profile = Object.entries(p)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
  const lang = ctx.customer.languagePreference;
  return prompts.render('general', lang, {
    'tenant.name': ctx.tenant.name,
    industry: ctx.tenant.industry.replace('_', ' '),
    channel: ctx.channel.type === 'webchat' ? 'the website chat' : ctx.channel.type === 'sms' ? 'SMS' : 'WhatsApp',
    profile: profile || '- (no details provided yet)',
    language: LANGUAGE_NAMES[lang] ?? 'English',
  });
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

/** Run one agent turn. Never throws for provider failures: the router ends with the offline reply. */
export async function runAgentTurn(deps: AgentDeps, ctx: TurnContext, trafficClass: TrafficClass): Promise<RoutedResult> {
  return deps.router.generate(
    { system: systemPrompt(deps.prompts, ctx), messages: historyMessages(ctx), maxTokens: 512 },
    { tenantId: ctx.tenant.id, conversationId: ctx.conversation.id, class: trafficClass },
  );
}
