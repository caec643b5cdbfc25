/**
 * Tenants with their billing (platform API; the plain tenant list, suspend/restore and view-as
 * live in tenants.ts). Sales reps see only the tenants assigned to them.
 *  GET /api/admin/tenants-billing?q&status&plan&repId&limit&offset → {tenants, total}   (tenants.read)
 *  GET /api/admin/tenants-billing/:id → {tenant, payments, mrrHistory, usage}           (tenants.read)
 *  POST /api/admin/tenants-billing/:id/cancel → {canceled: true}; already canceled → 409 (billing.write: owner, admin; audited)
 * Malformed id → 400 invalid_id; unknown or out-of-scope id → 404.
 */
import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import { cancelSubscription } from '../../../core/services/platform/subscriptions.ts';
import { listTenantBilling, tenantBillingDetail } from '../../../core/services/platform/tenant-billing.ts';
import { DateOnly, DateTime, IdParams, notFound, Nullable, Uuid, withErrors } from '../../schemas/common.ts';
import { scopeOf, TENANT_STATUSES } from './tenants.ts';

const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Type.Union(TENANT_STATUSES.map((s) => Type.Literal(s)))),
    plan: Type.Optional(Type.String({ maxLength: 40 })),
    repId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
/** tenant-billing.ts TenantBillingRow (KES cents). */
const TenantBillingRow = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  industry: Type.String(),
  status: Type.String(),
  planId: Type.String(),
  mrrCents: Type.Integer(),
  repId: Nullable(Type.String()),
  repName: Nullable(Type.String()),
  lastActivityAt: Nullable(DateTime),
  createdAt: DateTime,
});
/** tenant-billing.ts tenantBillingDetail (SQL rows; money in KES cents, AI cost in USD micros). */
const TenantBillingDetail = Type.Object({
  tenant: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    status: Type.String(),
    planId: Type.String(),
    feeCents: Type.Integer(),
    subscriptionStatus: Nullable(Type.String()),
    trialEndsAt: Nullable(DateTime),
    currentPeriodEnd: Nullable(DateTime),
    pastDueSince: Nullable(DateTime),
    repId: Nullable(Type.String()),
  }),
  payments: Type.Array(
    Type.Object({
      id: Type.String(),
      reference: Type.String(),
      method: Type.String(),
      planId: Type.String(),
      amountCents: Type.Integer(),
      periodMonths: Type.Integer(),
      periodStart: DateTime,
      periodEnd: DateTime,
      paidAt: DateTime,
    }),
  ),
  mrrHistory: Type.Array(Type.Object({ month: DateOnly, mrrCents: Type.Integer() })),
  usage: Type.Object({
    month: DateOnly,
    messagesIn: Type.Integer(),
    messagesOut: Type.Integer(),
    aiCalls: Type.Integer(),
    aiTokens: Type.Integer(),
    aiCostUsdMicros: Type.Integer(),
    aiCostKesCents: Type.Integer(),
    feeCents: Type.Integer(),
    aiCostShareOfFee: Nullable(Type.Number()),
  }),
});

export const adminTenantBillingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const read = app.requirePlatformRole('tenants.read');
  const now = () => new Date(app.authClock.now());

  app.get(
    '/api/admin/tenants-billing',
    { schema: { querystring: ListQuery, response: withErrors({ 200: Type.Object({ tenants: Type.Array(TenantBillingRow), total: Type.Integer() }) }) }, preHandler: read },
    async (req) => listTenantBilling(db, scopeOf(req), req.query, now()),
  );

  app.get('/api/admin/tenants-billing/:id', { schema: { params: IdParams, response: withErrors({ 200: TenantBillingDetail }) }, preHandler: read }, async (req) => {
    const found = await tenantBillingDetail(db, scopeOf(req), req.params.id, now());
    if (!found) throw notFound('tenant');
    return found as Static<typeof TenantBillingDetail>; // the service's SQL rows, typed by this schema
  });

  app.post(
    '/api/admin/tenants-billing/:id/cancel',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ canceled: Type.Literal(true) }) }) }, preHandler: app.requirePlatformRole('billing.write') },
    async (req) => {
      if (!(await tenantBillingDetail(db, { kind: 'all' }, req.params.id, now()))) throw notFound('tenant');
      if (!(await cancelSubscription(db, req.params.id, now(), req.auth!.sub))) throw new AppError('already_canceled', 'The subscription is already canceled');
      return { canceled: true as const };
    },
  );
};
