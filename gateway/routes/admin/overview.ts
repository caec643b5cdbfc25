/**
 * GET /api/admin/platform-metrics → PlatformOverview (core/services/platform/overview.ts):
 * 12-month MRR with movements, MRR/ARR/ARPA, tenants by status, queue depth, LLM split and error
 * rate, channel status. Permission `metrics.read` (owner, admin, support); sales reps get 403.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { platformOverview } from '../../../core/services/platform/overview.ts';
import { DateOnly, Nullable, withErrors } from '../../schemas/common.ts';

const Counts = Type.Record(Type.String(), Type.Integer());
/** metrics.ts MonthMetrics (KES cents; rates are fractions). */
const MonthMetrics = Type.Object({
  month: DateOnly,
  mrrCents: Type.Integer(),
  payingTenants: Type.Integer(),
  arpaCents: Type.Integer(),
  newCents: Type.Integer(),
  expansionCents: Type.Integer(),
  contractionCents: Type.Integer(),
  churnCents: Type.Integer(),
  reactivationCents: Type.Integer(),
  netNewCents: Type.Integer(),
  churnedTenants: Type.Integer(),
  logoChurnRate: Nullable(Type.Number()),
  revenueChurnRate: Nullable(Type.Number()),
});
/** overview.ts PlatformOverview. */
const Overview = Type.Object({
  month: DateOnly,
  mrrCents: Type.Integer(),
  arrCents: Type.Integer(),
  arpaCents: Type.Integer(),
  payingTenants: Type.Integer(),
  series: Type.Array(MonthMetrics),
  tenantsByStatus: Counts,
  health: Type.Object({
    queues: Counts,
    llm: Type.Object({ byProvider: Type.Record(Type.String(), Type.Object({ attempts: Type.Integer(), errors: Type.Integer() })), attempts: Type.Integer(), errorRate: Type.Number() }),
    channels: Type.Array(Type.Object({ type: Type.String(), provider: Type.String(), status: Type.String(), count: Type.Integer() })),
  }),
});

export const adminOverviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, queue } = app.deps;
  app.get('/api/admin/platform-metrics', { schema: { response: withErrors({ 200: Overview }) }, preHandler: app.requirePlatformRole('metrics.read') }, async () =>
    platformOverview(db, new Date(app.authClock.now()), queue.counts ? () => queue.counts!() : undefined),
  );
};
