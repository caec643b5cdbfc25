/**
 * Tenant analytics (read): GET /api/tenant/analytics?days=30 (1–365, default 30; otherwise 400)
 * → { period, messages, conversations, ai, responseTime, leads, bookings }; definitions in
 * core/services/usage/analytics.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { tenantAnalytics } from '../../../core/services/usage/analytics.ts';

const Query = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }, { additionalProperties: false });

export async function tenantAnalyticsRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  app.get<{ Querystring: Static<typeof Query> }>(
    '/api/tenant/analytics',
    { schema: { querystring: Query }, preHandler: app.requireTenantRole('read') },
    async (req) => db.withTenant(req.auth!.tenant!.id, (tx) => tenantAnalytics(tx, req.query.days ?? 30)),
  );
}
