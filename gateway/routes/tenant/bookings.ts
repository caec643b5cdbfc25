/**
 * Bookings (tenant API):
 *  GET  /api/tenant/bookings?from&to&customerId&resourceId&limit&cursor → {bookings: [...], nextCursor}  (read; ISO
 *       times). Each booking: {id, resourceId, resourceName, customerId|null, customerName|null, startsAt, endsAt,
 *       status, note|null, partySize} plus the older names resource/start/end/notes. By start time; limit ≤ 200 (50).
 *  POST /api/tenant/bookings, PATCH /api/tenant/bookings/:id: booking-admin.ts
 *  POST /api/tenant/bookings/:id/cancel → {booking: {id, status}}  (reply); unknown or already canceled → 404
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cancelBookingById } from '../../../core/services/commerce/bookings.ts';
import { listBookingPage } from '../../../core/services/commerce/booking-admin.ts';
import { AppError, DateTime, DateTimeInput, IdParams, notFound, Nullable, Uuid, withErrors } from '../../schemas/common.ts';
import { decodeCursor, encodeCursor, PageQuery } from './console-schemas.ts';

const Query = Type.Object(
  { from: Type.Optional(DateTimeInput), to: Type.Optional(DateTimeInput), customerId: Type.Optional(Uuid), resourceId: Type.Optional(Uuid), ...PageQuery },
  { additionalProperties: false },
);
/** core/services/commerce/booking-admin.ts ConsoleBooking, plus the older field names. */
const BookingView = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  resourceName: Type.String(),
  customerId: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  startsAt: DateTime,
  endsAt: DateTime,
  status: Type.String(),
  note: Nullable(Type.String()),
  partySize: Type.Integer(),
  resource: Type.String({ description: 'resource name (older name of resourceName)' }),
  start: DateTime,
  end: DateTime,
  notes: Nullable(Type.String()),
});

export const tenantBookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/api/tenant/bookings',
    { schema: { querystring: Query, response: withErrors({ 200: Type.Object({ bookings: Type.Array(BookingView), nextCursor: Nullable(Type.String()) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const q = req.query;
      const d = (s?: string) => (s ? new Date(s) : undefined);
      const after = decodeCursor(q.cursor);
      if (q.cursor && !after) throw new AppError('bad_request', 'cursor is not valid');
      const page = await db.withTenant(req.auth!.tenant!.id, (tx) =>
        listBookingPage(tx, { from: d(q.from), to: d(q.to), customerId: q.customerId, resourceId: q.resourceId, limit: q.limit ?? 50, after }),
      );
      return {
        bookings: page.items.map((b) => ({ ...b, resource: b.resourceName, start: b.startsAt, end: b.endsAt, notes: b.note })),
        nextCursor: page.last ? encodeCursor(...page.last) : null,
      };
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
