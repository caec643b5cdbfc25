/**
 * What the console needs from the AI side (agents/console.ts implements it; bin/runtime.ts hands
 * it to the gateway, which does not import agents/): the knowledge search as retrieval sees it,
 * and one dry-run agent turn for the playground.
 */
export interface KnowledgeSearchHit {
  documentId: string;
  title: string;
  text: string;
  /** Cosine similarity, 1 = same direction (1 − pgvector cosine distance). */
  score: number;
}

export interface PlaygroundInput {
  message: string;
  history: Array<{ role: 'customer' | 'agent'; text: string }>;
}

export interface PlaygroundResult {
  reply: string;
  toolCalls: Array<{ name: string; args: Record<string, unknown>; result: Record<string, unknown>; dryRun: true }>;
  /** LLM provider that answered (gemini, groq, openai, offline). */
  provider: string;
}

export interface AgentConsole {
  searchKnowledge(tenantId: string, query: string, k?: number): Promise<KnowledgeSearchHit[]>;
  playground(tenantId: string, input: PlaygroundInput): Promise<PlaygroundResult>;
}
