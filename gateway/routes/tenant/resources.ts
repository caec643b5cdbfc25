/**
 * Bookable resources (tenant API):
 *  GET   /api/tenant/resources → {resources: Resource[]}  (read)
 *  POST  /api/tenant/resources {name, kind?, capacity?, slotMinutes?, openingHours?, timezone?} → 201 {resource}  (settings)
 *  PATCH /api/tenant/resources/:id {…same, active?} → {resource}  (settings); unknown id → 404
 * openingHours: {mon: ["09:00","17:00"], …} wall clock in `timezone` (IANA, default Africa/Nairobi).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import { resources } from '../../../core/db/schema/index.ts';
import { createResource, listResources, updateResource } from '../../../core/services/commerce/bookings.ts';
import { IdParams, notFound, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';
import { OpeningHoursSchema } from './agent-schemas.ts';

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  kind: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  slotMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10080 })),
  openingHours: Type.Optional(OpeningHoursSchema),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};
const Create = Type.Object(Fields, { additionalProperties: false });
const Patch = Type.Partial(Type.Object({ ...Fields, active: Type.Boolean() }), { additionalProperties: false, minProperties: 1 });
export const Resource = rowSchema(resources, { omit: ['tenantId'], title: 'Resource' });
const One = Type.Object({ resource: Resource });

export const tenantResourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/api/tenant/resources',
    { schema: { response: withErrors({ 200: Type.Object({ resources: Type.Array(Resource) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ resources: await db.withTenant(req.auth!.tenant!.id, (tx) => listResources(tx)) }),
  );
  app.post(
    '/api/tenant/resources',
    { schema: { body: Create, response: withErrors({ 201: One }) }, preHandler: app.requireTenantRole('settings') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      try {
        const resource = await db.withTenant(tenantId, (tx) => createResource(tx, tenantId, req.body));
        return reply.status(201).send({ resource });
      } catch (err) {
        if ((err as { cause?: { code?: string } }).cause?.code === '23505') throw new AppError('conflict', 'A resource with this name exists');
        throw err;
      }
    },
  );
  app.patch(
    '/api/tenant/resources/:id',
    { schema: { params: IdParams, body: Patch, response: withErrors({ 200: One }) }, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const resource = await db.withTenant(req.auth!.tenant!.id, (tx) => updateResource(tx, req.params.id, req.body));
      if (!resource) throw notFound('resource');
      return { resource };
    },
  );
};
