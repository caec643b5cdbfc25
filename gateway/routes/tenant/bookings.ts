/**
 * Bookings (tenant API):
 *  GET  /api/tenant/bookings?from&to&customerId → {bookings: BookingView[]}  (read; ISO times)
 *  POST /api/tenant/bookings/:id/cancel → {booking}  (reply); unknown or already canceled → 404
 */
import { Type, type Static } from '@sinclair/typebox';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { bookings } from '../../../core/db/schema/index.ts';
import { listBookings } from '../../../core/services/commerce/bookings.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParams, UuidString } from './agent-schemas.ts';

const Query = Type.Object(
  { from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })), customerId: Type.Optional(UuidString) },
  { additionalProperties: false },
);

export async function tenantBookingRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  app.get<{ Querystring: Static<typeof Query> }>(
    '/api/tenant/bookings',
    { schema: { querystring: Query }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const q = req.query;
      const d = (s?: string) => (s ? new Date(s) : undefined);
      if ([q.from, q.to].some((s) => s && Number.isNaN(new Date(s).getTime()))) throw new AppError('bad_request', 'from/to must be ISO date-times');
      return { bookings: await db.withTenant(req.auth!.tenant!.id, (tx) => listBookings(tx, { from: d(q.from), to: d(q.to), customerId: q.customerId })) };
    },
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/tenant/bookings/:id/cancel',
    { schema: { params: IdParams }, preHandler: app.requireTenantRole('reply') },
    async (req) => {
      const [row] = await db.withTenant(req.auth!.tenant!.id, (tx) =>
        tx
          .update(bookings)
          .set({ status: 'canceled', canceledAt: sql`now()` })
          .where(sql`${eq(bookings.id, req.params.id)} and ${bookings.status} = 'confirmed'`)
          .returning({ id: bookings.id, status: bookings.status }),
      );
      if (!row) throw new AppError('not_found', 'No such confirmed booking');
      return { booking: row };
    },
  );
}
