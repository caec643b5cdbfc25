/**
 * Bookings (tenant API):
 *  GET  /api/tenant/bookings?from&to&customerId&resourceId&limit&cursor → {bookings: [...], nextCursor}  (read; ISO
 *       times). Each booking: {id, resourceId, resourceName, customerId|null, customerName|null, startsAt, endsAt,
 *       status, note|null, partySize} plus the older names resource/start/end/notes. By start time; limit ≤ 200 (50).
 *  POST /api/tenant/bookings, PATCH /api/tenant/bookings/:id: booking-admin.ts
 *  POST /api/tenant/bookings/:id/cancel → {booking}  (reply); unknown or already canceled → 404
 */
import { Type, type Static } from '@sinclair/typebox';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { bookings } from '../../../core/db/schema/index.ts';
import { listBookingPage } from '../../../core/services/commerce/booking-admin.ts';
import { decodeCursor, encodeCursor, PageQuery } from './console-schemas.ts';
import { HttpError } from '../../errors.ts';
import { IdParams, UuidString } from './agent-schemas.ts';

const Query = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    customerId: Type.Optional(UuidString),
    resourceId: Type.Optional(UuidString),
    ...PageQuery,
  },
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
      if ([q.from, q.to].some((s) => s && Number.isNaN(new Date(s).getTime()))) throw new HttpError(400, 'bad_request', 'from/to must be ISO date-times');
      const after = decodeCursor(q.cursor);
      if (q.cursor && !after) throw new HttpError(400, 'bad_request', 'cursor is not valid');
      const page = await db.withTenant(req.auth!.tenant!.id, (tx) =>
        listBookingPage(tx, { from: d(q.from), to: d(q.to), customerId: q.customerId, resourceId: q.resourceId, limit: q.limit ?? 50, after }),
      );
      return {
        bookings: page.items.map((b) => ({ ...b, resource: b.resourceName, start: b.startsAt, end: b.endsAt, notes: b.note })),
        nextCursor: page.last ? encodeCursor(...page.last) : null,
      };
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
      if (!row) throw new HttpError(404, 'not_found', 'No such confirmed booking');
      return { booking: row };
    },
  );
}
