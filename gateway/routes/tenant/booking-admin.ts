/**
 * Bookings by hand (console Bookings):
 *  POST  /api/tenant/bookings {resourceId, startsAt, endsAt, customerName?, customerPhone?, note?} → 201 {booking}
 *  PATCH /api/tenant/bookings/:id {startsAt, endsAt, resourceId?} (move) → 200 {booking}
 * Permission `reply` (staff and up; viewers read only). Overlap with a confirmed booking → 409
 * slot_taken (the same advisory lock + EXCLUDE constraint as the agent's create_booking); endsAt
 * <= startsAt → 400 invalid_booking; another tenant's booking/resource → 404. A customerPhone
 * finds or creates that customer (handle = the number).
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createManualBooking, moveBooking } from '../../../core/services/commerce/booking-admin.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParam, IsoTime, Nullable, responses, Uuid } from './console-schemas.ts';

export const ConsoleBookingSchema = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  resourceName: Type.String(),
  customerId: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.String(),
  status: Type.String(),
  note: Nullable(Type.String()),
  partySize: Type.Integer(),
});
const Create = Type.Object(
  {
    resourceId: Uuid,
    startsAt: IsoTime,
    endsAt: IsoTime,
    customerName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    customerPhone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{6,20}$' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
const Move = Type.Object({ startsAt: Type.Optional(IsoTime), endsAt: Type.Optional(IsoTime), resourceId: Type.Optional(Uuid) }, { additionalProperties: false });
const One = Type.Object({ booking: ConsoleBookingSchema });
const sqlExists = (id: string) => sql`select 1 from bookings where id = ${id}`;

export const tenantBookingAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.post(
    '/api/tenant/bookings',
    { schema: { body: Create, response: responses({ 201: One }, [400, 401, 403, 404, 409]) }, preHandler: app.requireTenantRole('reply') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const b = req.body;
      const booking = await db.withTenant(tenantId, (tx) =>
        createManualBooking(tx, tenantId, { resourceId: b.resourceId, start: new Date(b.startsAt), end: new Date(b.endsAt), customerName: b.customerName, customerPhone: b.customerPhone, note: b.note }),
      );
      if (!booking) throw new AppError('not_found', 'No such resource');
      return reply.status(201).send({ booking });
    },
  );
  // startsAt/endsAt are optional in the schema so that an unknown id answers 404 before 400.
  app.patch(
    '/api/tenant/bookings/:id',
    { schema: { params: IdParam, body: Move, response: responses({ 200: One }, [400, 401, 403, 404, 409]) }, preHandler: app.requireTenantRole('reply') },
    async (req) => {
      const b = req.body;
      const booking = await db.withTenant(req.auth!.tenant!.id, async (tx) => {
        if (!b.startsAt || !b.endsAt) {
          const exists = await tx.execute(sqlExists(req.params.id));
          if (!exists.rows.length) return undefined;
          throw new AppError('bad_request', 'startsAt and endsAt are required');
        }
        return moveBooking(tx, req.params.id, { start: new Date(b.startsAt), end: new Date(b.endsAt), resourceId: b.resourceId });
      });
      if (!booking) throw new AppError('not_found', 'No such confirmed booking');
      return { booking };
    },
  );
};
