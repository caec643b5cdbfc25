/**
 * Bookings (tenant API):
 *  GET  /api/tenant/bookings?from&to&customerId → {bookings: BookingView[]}  (read; ISO times)
 *  POST /api/tenant/bookings/:id/cancel → {booking: {id, status}}  (reply); unknown or already canceled → 404
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cancelBookingById, listBookings } from '../../../core/services/commerce/bookings.ts';
import { DateTime, DateTimeInput, IdParams, notFound, Nullable, Uuid, withErrors } from '../../schemas/common.ts';

const Query = Type.Object({ from: Type.Optional(DateTimeInput), to: Type.Optional(DateTimeInput), customerId: Type.Optional(Uuid) }, { additionalProperties: false });
/** core/services/commerce/bookings.ts BookingView. */
const BookingView = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  resource: Type.String({ description: 'resource name' }),
  customerId: Type.String(),
  start: DateTime,
  end: DateTime,
  partySize: Type.Integer(),
  status: Type.String(),
  notes: Nullable(Type.String()),
});

export const tenantBookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/api/tenant/bookings',
    { schema: { querystring: Query, response: withErrors({ 200: Type.Object({ bookings: Type.Array(BookingView) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const q = req.query;
      const d = (s?: string) => (s ? new Date(s) : undefined);
      return { bookings: await db.withTenant(req.auth!.tenant!.id, (tx) => listBookings(tx, { from: d(q.from), to: d(q.to), customerId: q.customerId })) };
    },
  );
  app.post(
    '/api/tenant/bookings/:id/cancel',
    {
      schema: { params: IdParams, response: withErrors({ 200: Type.Object({ booking: Type.Object({ id: Type.String(), status: Type.String() }) }) }) },
      preHandler: app.requireTenantRole('reply'),
    },
    async (req) => {
      const booking = await db.withTenant(req.auth!.tenant!.id, (tx) => cancelBookingById(tx, req.params.id));
      if (!booking) throw notFound('confirmed booking');
      return { booking };
    },
  );
};
