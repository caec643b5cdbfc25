/**
 * Tenant analytics (read): GET /api/tenant/analytics?days=30 (1–365, default 30; otherwise 400)
 * → { period, messages, conversations, ai, responseTime, leads, bookings, outcomes }; definitions in
 * core/services/usage/analytics.ts and outcomes.ts.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { tenantAnalytics } from '../../../core/services/usage/analytics.ts';
import { DateTime, Nullable, withErrors } from '../../schemas/common.ts';

const Query = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }, { additionalProperties: false });
const Counts = Type.Record(Type.String(), Type.Integer());
/** core/services/usage/analytics.ts TenantAnalytics. */
const Analytics = Type.Object({
  period: Type.Object({ from: DateTime, to: DateTime }),
  messages: Type.Object({ inbound: Type.Integer(), outbound: Type.Integer(), byChannel: Type.Object({ sms: Type.Integer(), whatsapp: Type.Integer(), webchat: Type.Integer() }) }),
  conversations: Type.Object({ started: Type.Integer(), open: Type.Integer(), needsHuman: Type.Integer(), humanOwned: Type.Integer() }),
  ai: Type.Object({
    replies: Type.Integer(),
    byProvider: Counts,
    fallbackReplies: Type.Integer(),
    inputTokens: Type.Integer(),
    outputTokens: Type.Integer(),
    costUsdMicros: Type.Integer({ description: 'USD × 10⁻⁶' }),
  }),
  responseTime: Type.Object({ medianMs: Nullable(Type.Number()), p90Ms: Nullable(Type.Number()) }),
  leads: Type.Object({ byStage: Counts }),
  bookings: Type.Object({ confirmed: Type.Integer(), canceled: Type.Integer() }),
  /** core/services/usage/outcomes.ts OutcomeFigures. */
  outcomes: Type.Object({
    conversations: Type.Integer(),
    resolvedByAi: Type.Integer(),
    resolvedByAiShare: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
    escalationsByReason: Counts,
    guardInterventionsByKind: Counts,
  }),
});

export const tenantAnalyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/api/tenant/analytics',
    { schema: { querystring: Query, response: withErrors({ 200: Analytics }) }, preHandler: app.requireTenantRole('read') },
    async (req) => db.withTenant(req.auth!.tenant!.id, (tx) => tenantAnalytics(tx, req.query.days ?? 30)),
  );
};
