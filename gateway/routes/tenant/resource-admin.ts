/**
 * DELETE /api/tenant/resources/:id → 204 (settings). A resource with bookings is deactivated
 * instead of deleted (the agent stops offering it; history stays); another tenant's id → 404.
 * GET/POST/PATCH are in resources.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { removeResource } from '../../../core/services/commerce/booking-admin.ts';
import { auditTx } from '../../../core/services/tenancy/audit.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParam, responses } from './console-schemas.ts';

export const tenantResourceAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.delete(
    '/api/tenant/resources/:id',
    { schema: { params: IdParam, response: responses({ 204: Type.Null() }) }, preHandler: app.requireTenantRole('settings') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const ok = await db.withTenant(tenantId, async (tx) => {
        if (!(await removeResource(tx, req.params.id))) return false;
        await auditTx(tx, { tenantId, actorType: 'tenant_user', actorId: req.auth!.sub, ip: req.ip, action: 'resource.delete', target: req.params.id });
        return true;
      });
      if (!ok) throw new AppError('not_found', 'No such resource');
      return reply.status(204).send(null);
    },
  );
};
