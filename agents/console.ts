/**
 * The console's view of the agent (core/services/setup/agent-console.ts): knowledge search with
 * the same embedder and query as a live turn's retrieval, and the playground — one turn of the
 * tenant's real agent (same system prompt, industry and tools prompts, retrieval, tool loop) as
 * a synthetic web-chat customer, with the tools wrapped by agents/tools/dry-run.ts so nothing is
 * booked, offered or recorded. Nothing of the turn is stored (no customer, conversation or
 * message rows); only the LLM usage is accounted, as for any turn.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../core/db/client.ts';
import { tenants } from '../core/db/schema/index.ts';
import type { Logger } from '../core/logger.ts';
import type { JobQueue } from '../core/queue.ts';
import type { TurnContext } from '../core/services/conversations/messages.ts';
import type { AgentConsole } from '../core/services/setup/agent-console.ts';
import { AppError } from '../core/errors.ts';
import { runAgentTurn } from './agent.ts';
import type { LlmRouter } from './llm/router.ts';
import { createLocalEmbedder, type Embedder } from './memory/embedder.ts';
import { searchKnowledge } from './memory/retrieval.ts';
import type { PromptLibrary } from './prompts.ts';
import { dryRunTools, type DryRunCall } from './tools/dry-run.ts';
import { AGENT_TOOLS } from './tools/index.ts';

export interface AgentConsoleDeps {
  db: Database;
  queue: JobQueue;
  router: LlmRouter;
  prompts: PromptLibrary;
  embedder?: Embedder;
  log?: Logger;
}

type Row<K extends keyof TurnContext> = TurnContext[K];

export function createAgentConsole(deps: AgentConsoleDeps): AgentConsole {
  const embedder = deps.embedder ?? createLocalEmbedder();
  return {
    async searchKnowledge(tenantId, query, k = 5) {
      const hits = await searchKnowledge({ db: deps.db, embedder, tenantId, log: deps.log }, query, k);
      return hits.map((h) => ({ documentId: h.documentId, title: h.title, text: h.content, score: Number((1 - h.distance).toFixed(4)) }));
    },
    async playground(tenantId, input) {
      const [tenant] = await deps.db.withTenant(tenantId, (tx) => tx.select().from(tenants).where(eq(tenants.id, tenantId)));
      if (!tenant) throw new AppError('not_found', 'No such tenant');
      const now = new Date();
      const langs = Array.isArray(tenant.profile.languages) ? (tenant.profile.languages as string[]) : [];
      const language = (['en', 'sw', 'sheng'].includes(langs[0] ?? '') ? langs[0] : 'en') as 'en' | 'sw' | 'sheng';
      const ids = { customer: randomUUID(), conversation: randomUUID(), channel: randomUUID() };
      const customer: Row<'customer'> = { id: ids.customer, tenantId, handle: 'playground', phone: null, name: 'Playground', languagePreference: language, profile: {}, createdAt: now, lastSeenAt: now };
      const channel: Row<'channel'> = { id: ids.channel, tenantId, type: 'webchat', provider: 'webchat', address: tenant.slug, credentialsEnc: null, webhookTokenHash: null, status: 'active', enabled: true, settings: {}, createdAt: now };
      const conversation: Row<'conversation'> = {
        id: ids.conversation, tenantId, customerId: ids.customer, channelId: ids.channel, status: 'open', owner: 'ai', assignedUserId: null,
        ownerVersion: 0, needsHuman: false, needsHumanReason: null, ownerChangedAt: null, escalationReason: null, lastMessageAt: now, createdAt: now,
        inboundCount: 0, lastMessageText: null, lastMessageSender: null,
      };
      const turns = [...input.history.slice(-19), { role: 'customer' as const, text: input.message }];
      const history: Row<'history'> = turns.map((t, i) => ({
        id: randomUUID(), tenantId, conversationId: ids.conversation, channelId: ids.channel,
        direction: t.role === 'customer' ? 'inbound' : 'outbound', sender: t.role === 'customer' ? 'customer' : 'ai',
        externalId: null, inReplyTo: null, text: t.text, media: null, status: t.role === 'customer' ? 'received' : 'sent', error: null,
        provider: null, model: null, ownerVersion: null, parts: null, partsSent: 0, createdAt: new Date(now.getTime() - (turns.length - i) * 1000), sentAt: null,
      }));
      const calls: DryRunCall[] = [];
      const ctx: TurnContext = { message: history[history.length - 1]!, conversation, customer, tenant, channel, history };
      const r = await runAgentTurn({ ...deps, embedder, tools: dryRunTools(AGENT_TOOLS, calls) }, ctx, 'standard');
      return { reply: r.text, toolCalls: calls, provider: r.provider };
    },
  };
}
