/**
 * DELETE /api/tenant/prices/:id → 204 (prices; audited prices.delete): removes a negotiable item
 * and its offer log. Another tenant's id → 404. GET/PUT and the offer log are in prices.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { deleteRule } from '../../../core/services/commerce/pricing.ts';
import { auditTx } from '../../../core/services/tenancy/audit.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParam, responses } from './console-schemas.ts';

export const tenantPriceAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.delete(
    '/api/tenant/prices/:id',
    { schema: { params: IdParam, response: responses({ 204: Type.Null() }) }, preHandler: app.requireTenantRole('prices') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const ok = await db.withTenant(tenantId, async (tx) => {
        if (!(await deleteRule(tx, req.params.id))) return false;
        await auditTx(tx, { tenantId, actorType: 'tenant_user', actorId: req.auth!.sub, ip: req.ip, action: 'prices.delete', target: req.params.id });
        return true;
      });
      if (!ok) throw new AppError('not_found', 'No such price rule');
      return reply.status(204).send(null);
    },
  );
};
