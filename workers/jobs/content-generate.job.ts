/** `content_generate` job: write marketing copy variants (agents/content/generate.ts). */
import { generateContent } from '../../agents/content/generate.ts';
import type { AgentDeps } from '../../agents/agent.ts';
import type { Database } from '../../core/db/client.ts';
import type { JobHandler } from '../drivers/driver.ts';

export const contentGenerateJob =
  (deps: AgentDeps & { db: Database }): JobHandler<'content_generate'> =>
  (payload, ctx) =>
    generateContent(deps, payload, ctx);
