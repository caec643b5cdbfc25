/**
 * GET /api/admin/platform-metrics → PlatformOverview (core/services/platform/overview.ts):
 * 12-month MRR with movements, MRR/ARR/ARPA, tenants by status, queue depth, LLM split and error
 * rate, channel status. Permission `metrics.read` (owner, admin, support); sales reps get 403.
 */
import type { FastifyInstance } from 'fastify';
import { platformOverview } from '../../../core/services/platform/overview.ts';

export async function adminOverviewRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue } = app.deps;
  app.get('/api/admin/platform-metrics', { preHandler: app.requirePlatformRole('metrics.read') }, async () =>
    platformOverview(db, new Date(app.authClock.now()), queue.counts ? () => queue.counts!() : undefined),
  );
}
