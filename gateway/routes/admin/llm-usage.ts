/**
 * LLM usage (platform API):
 *  GET /api/admin/llm-usage?hours=24 → LlmUsageReport (core/services/usage/llm-usage.ts): attempts,
 *  replies, tokens and estimated cost (USD micros) per provider and per tenant over the last
 *  `hours` (1..168, default 24). Platform owner/admin only (`billing.read`: it shows spend).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { llmUsageReport } from '../../../core/services/usage/llm-usage.ts';

const Query = Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })) }, { additionalProperties: false });

export async function adminLlmUsageRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  app.get<{ Querystring: { hours?: number } }>(
    '/api/admin/llm-usage',
    { schema: { querystring: Query }, preHandler: app.requirePlatformRole('billing.read') },
    async (req) => {
      const until = new Date();
      return llmUsageReport(db, new Date(until.getTime() - (req.query.hours ?? 24) * 3_600_000), until);
    },
  );
}
