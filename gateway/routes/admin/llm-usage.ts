/**
 * LLM usage (platform API):
 *  GET /api/admin/llm-usage?hours=24 → LlmUsageReport (core/services/usage/llm-usage.ts): attempts,
 *  replies, tokens and estimated cost (USD micros) per provider and per tenant over the last
 *  `hours` (1..168, default 24). Platform owner/admin only (`billing.read`: it shows spend).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { llmUsageReport } from '../../../core/services/usage/llm-usage.ts';
import { DateTime, withErrors } from '../../schemas/common.ts';

const Query = Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })) }, { additionalProperties: false });

/** llm-usage.ts UsageSplit (cost in USD micros). */
const Split = Type.Object({
  attempts: Type.Integer(),
  ok: Type.Integer(),
  replyShare: Type.Number({ minimum: 0, maximum: 1 }),
  inputTokens: Type.Integer(),
  outputTokens: Type.Integer(),
  costUsdMicros: Type.Integer(),
});
const Report = Type.Object({
  since: DateTime,
  until: DateTime,
  totals: Split,
  byProvider: Type.Record(Type.String(), Split),
  byTenant: Type.Array(Type.Composite([Split, Type.Object({ tenantId: Type.String(), slug: Type.String(), name: Type.String(), byProvider: Type.Record(Type.String(), Split) })])),
});

export const adminLlmUsageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/api/admin/llm-usage',
    { schema: { querystring: Query, response: withErrors({ 200: Report }) }, preHandler: app.requirePlatformRole('billing.read') },
    async (req) => {
      const until = new Date();
      return llmUsageReport(db, new Date(until.getTime() - (req.query.hours ?? 24) * 3_600_000), until);
    },
  );
};
