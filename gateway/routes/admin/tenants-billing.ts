/**
 * Tenants with their billing (platform API; the plain tenant list, suspend/restore and view-as
 * live in tenants.ts). Sales reps see only the tenants assigned to them.
 *  GET /api/admin/tenants-billing?q&status&plan&repId&limit&offset → {tenants, total}   (tenants.read)
 *  GET /api/admin/tenants-billing/:id → {tenant, payments, mrrHistory, usage}           (tenants.read)
 *  POST /api/admin/tenants-billing/:id/cancel → {canceled: true}; already canceled → 409 (billing.write: owner, admin; audited)
 * Malformed id → 400; unknown or out-of-scope id → 404.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isUuid } from '../../../core/db/client.ts';
import { cancelSubscription } from '../../../core/services/platform/subscriptions.ts';
import { listTenantBilling, tenantBillingDetail } from '../../../core/services/platform/tenant-billing.ts';
import { AppError } from '../../../core/errors.ts';
import { scopeOf } from './tenants.ts';

const STATUSES = ['trial', 'active', 'past_due', 'suspended', 'canceled'];
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
    plan: Type.Optional(Type.String({ maxLength: 40 })),
    repId: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

export async function adminTenantBillingRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const read = app.requirePlatformRole('tenants.read');
  const now = () => new Date(app.authClock.now());

  app.get<{ Querystring: { q?: string; status?: string; plan?: string; repId?: string; limit?: number; offset?: number } }>(
    '/api/admin/tenants-billing',
    { schema: { querystring: ListQuery }, preHandler: read },
    async (req) => listTenantBilling(db, scopeOf(req), req.query, now()),
  );

  app.get<{ Params: { id: string } }>('/api/admin/tenants-billing/:id', { schema: { params: Params }, preHandler: read }, async (req) => {
    if (!isUuid(req.params.id)) throw new AppError('invalid_id', 'id must be a UUID');
    const found = await tenantBillingDetail(db, scopeOf(req), req.params.id, now());
    if (!found) throw new AppError('not_found', 'No such tenant');
    return found;
  });

  app.post<{ Params: { id: string } }>(
    '/api/admin/tenants-billing/:id/cancel',
    { schema: { params: Params }, preHandler: app.requirePlatformRole('billing.write') },
    async (req) => {
      if (!isUuid(req.params.id)) throw new AppError('invalid_id', 'id must be a UUID');
      if (!(await tenantBillingDetail(db, { kind: 'all' }, req.params.id, now()))) throw new AppError('not_found', 'No such tenant');
      if (!(await cancelSubscription(db, req.params.id, now(), req.auth!.sub))) throw new AppError('already_canceled', 'The subscription is already canceled');
      return { canceled: true };
    },
  );
}
