/**
 * Tenants (platform API). Sales reps see only tenants assigned to them; support reads only.
 *  GET    /api/admin/tenants?status&q&limit → {tenants}                         (tenants.read)
 *  GET    /api/admin/tenants/:id → {tenant, counts}                              (tenants.read)
 *  POST   /api/admin/tenants/:id/suspend {reason?} → {tenant}                    (tenants.suspend; audited)
 *  POST   /api/admin/tenants/:id/restore → {tenant}                              (tenants.suspend; audited)
 *  POST   /api/admin/tenants/:id/view-as → {token, tenantId, expiresAt (epoch ms)} (view_as — owner only;
 *         re-issues the session with a time-boxed, read-only view of that tenant; audited)
 *  DELETE /api/admin/view-as → 204 (back to the plain platform session)
 * Malformed id → 400 invalid_id; unknown or out-of-scope id → 404.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import { tenants } from '../../../core/db/schema/index.ts';
import { audit } from '../../../core/services/tenancy/audit.ts';
import { PLATFORM_SCOPE, type PlatformRole } from '../../../core/services/tenancy/permissions.ts';
import { getTenantDetail, listTenants, setTenantSuspended, type TenantScope } from '../../../core/services/platform/platform-tenants.ts';
import { IdParams, NoContent, notFound, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

/** How long a view-as-tenant session lasts (ms). */
export const VIEW_AS_TTL_MS = 30 * 60_000;

export const TENANT_STATUSES = ['trial', 'active', 'past_due', 'suspended', 'canceled'] as const;
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(TENANT_STATUSES.map((s) => Type.Literal(s)))),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
const SuspendBody = Type.Union([Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), Type.Null()]);
/** A tenant row as the platform sees it (profile and settings are the tenant's free-form jsonb). */
export const TenantRow = rowSchema(tenants, { title: 'Tenant' });
const Counts = Type.Object({ users: Type.Integer(), channels: Type.Integer(), customers: Type.Integer(), conversations: Type.Integer(), messages: Type.Integer() });

/** The caller's tenant scope from their platform role. */
export function scopeOf(req: FastifyRequest): TenantScope {
  const a = req.auth!;
  return PLATFORM_SCOPE[a.role as PlatformRole] === 'all' ? { kind: 'all' } : { kind: 'assigned', userId: a.sub };
}

export const adminTenantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const read = app.requirePlatformRole('tenants.read');
  const suspend = app.requirePlatformRole('tenants.suspend');

  app.get(
    '/api/admin/tenants',
    { schema: { querystring: ListQuery, response: withErrors({ 200: Type.Object({ tenants: Type.Array(TenantRow) }) }) }, preHandler: read },
    async (req) => ({ tenants: await listTenants(db, scopeOf(req), req.query) }),
  );

  app.get(
    '/api/admin/tenants/:id',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ tenant: TenantRow, counts: Counts }) }) }, preHandler: read },
    async (req) => {
      const found = await getTenantDetail(db, scopeOf(req), req.params.id);
      if (!found) throw notFound('tenant');
      return found;
    },
  );

  for (const action of ['suspend', 'restore'] as const)
    app.post(
      `/api/admin/tenants/:id/${action}`,
      { schema: { params: IdParams, body: SuspendBody, response: withErrors({ 200: Type.Object({ tenant: TenantRow }) }) }, preHandler: suspend },
      async (req) => {
        const tenant = await setTenantSuspended(db, scopeOf(req), req.params.id, action === 'suspend', {
          id: req.auth!.sub,
          ip: req.ip,
          reason: req.body?.reason,
        });
        if (!tenant) throw notFound('tenant');
        return { tenant };
      },
    );

  app.post(
    '/api/admin/tenants/:id/view-as',
    {
      schema: { params: IdParams, response: withErrors({ 200: Type.Object({ token: Type.String(), tenantId: Type.String(), expiresAt: Type.Integer({ description: 'epoch ms' }) }) }) },
      preHandler: app.requirePlatformRole('view_as'),
    },
    async (req, reply) => {
      const id = req.params.id;
      if (!(await getTenantDetail(db, { kind: 'all' }, id))) throw notFound('tenant');
      const a = req.auth!;
      const expiresAt = app.authClock.now() + VIEW_AS_TTL_MS;
      const token = await app.issueSession(req, reply, { sub: a.sub, userType: 'platform', role: a.role, viewAs: { tenantId: id, expiresAt } });
      await audit(db, { tenantId: id, actorType: 'platform_user', actorId: a.sub, action: 'tenant.view_as', target: id, data: { expiresAt: new Date(expiresAt).toISOString() }, ip: req.ip });
      return { token, tenantId: id, expiresAt };
    },
  );

  app.delete('/api/admin/view-as', { schema: { response: withErrors({ 204: NoContent }) }, preHandler: app.authenticate }, async (req, reply) => {
    const a = req.auth!;
    if (a.userType !== 'platform') throw new AppError('forbidden', 'Not a platform session');
    await app.issueSession(req, reply, { sub: a.sub, userType: 'platform', role: a.role });
    return reply.status(204).send();
  });
};
