/**
 * Bookable resources (tenant API):
 *  GET   /api/tenant/resources → {resources: Resource[]}  (read)
 *  POST  /api/tenant/resources {name, kind?, capacity?, slotMinutes?, openingHours?, timezone?} → 201 {resource}  (settings)
 *  PATCH /api/tenant/resources/:id {…same, active?} → {resource}  (settings); unknown id → 404
 * openingHours: {mon: ["09:00","17:00"], …} wall clock in `timezone` (IANA, default Africa/Nairobi).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createResource, listResources, updateResource } from '../../../core/services/commerce/bookings.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParams, OpeningHoursSchema } from './agent-schemas.ts';

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

export async function tenantResourceRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  app.get('/api/tenant/resources', { preHandler: app.requireTenantRole('read') }, async (req) => ({
    resources: await db.withTenant(req.auth!.tenant!.id, (tx) => listResources(tx)),
  }));
  app.post<{ Body: Static<typeof Create> }>(
    '/api/tenant/resources',
    { schema: { body: Create }, preHandler: app.requireTenantRole('settings') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      try {
        const resource = await db.withTenant(tenantId, (tx) => createResource(tx, tenantId, req.body as never));
        return reply.status(201).send({ resource });
      } catch (err) {
        if ((err as { code?: string; cause?: { code?: string } }).cause?.code === '23505') throw new AppError('conflict', 'A resource with this name exists');
        throw err;
      }
    },
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof Patch> }>(
    '/api/tenant/resources/:id',
    { schema: { params: IdParams, body: Patch }, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const resource = await db.withTenant(req.auth!.tenant!.id, (tx) => updateResource(tx, req.params.id, req.body as never));
      if (!resource) throw new AppError('not_found', 'No such resource');
      return { resource };
    },
  );
}
