/**
 * `check_availability`, `create_booking`, `cancel_booking`: bookings on the tenant's resources
 * for the turn's customer only. Times are ISO 8601; without an offset they are local time of
 * the resource (default Africa/Nairobi). A taken slot (including one lost to a concurrent
 * booking: the database's exclusion constraint decides) is answered with alternatives.
 */
import { Type } from '@sinclair/typebox';
import {
  cancelBooking,
  checkAvailability,
  createBooking,
  findResource,
  formatSlot,
  listResources,
  parseTime,
  type ResourceRow,
  type Slot,
  BookingInputError,
} from '../../core/services/commerce/bookings.ts';
import { addFact } from '../../core/services/conversations/customer-memory.ts';
import type { Tx } from '../../core/db/client.ts';
import { sql } from 'drizzle-orm';
import { canceledLine } from '../guard/templates.ts';
import { defineTool, ToolRefusal, type ToolContext } from './types.ts';

const SlotArgs = {
  resource: Type.Optional(Type.String({ description: 'Resource name or id (room, table, stylist…); omit when the business has only one.' })),
  start: Type.String({ description: 'Start, ISO 8601 date-time, e.g. 2026-11-21T14:00 (local time of the business).' }),
  duration_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10080, description: 'Length in minutes; default the resource slot length.' })),
  party_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Number of people; default 1.' })),
};

async function resolve(tx: Tx, ref: string | undefined): Promise<ResourceRow> {
  const all = await listResources(tx, true);
  const res = ref ? await findResource(tx, ref) : all.length === 1 ? all[0] : undefined;
  if (!res)
    throw new ToolRefusal(
      all.length ? `Unknown resource${ref ? ` "${ref}"` : ''}. Bookable: ${all.map((r) => `${r.name} (${r.kind})`).join(', ')}.` : 'This business has no bookable resources.',
    );
  return res;
}

function startOf(text: string, res: ResourceRow, ctx: ToolContext): Date {
  try {
    const d = parseTime(text, res.timezone);
    if (d.getTime() < ctx.now().getTime() - 60_000) throw new ToolRefusal('That time is in the past.');
    return d;
  } catch (err) {
    if (err instanceof BookingInputError) throw new ToolRefusal(err.message);
    throw err;
  }
}

const view = (s: Slot, tz: string) => ({ resource: s.resource, start: s.start, end: s.end, local: formatSlot(new Date(s.start), new Date(s.end), tz) });

export const checkAvailabilityTool = defineTool({
  name: 'check_availability',
  description: 'Check whether a resource is free at a time; returns alternatives when it is not.',
  schema: Type.Object(SlotArgs, { additionalProperties: false }),
  run: (a, ctx) =>
    ctx.db.withTenant(ctx.tenantId, async (tx) => {
      const res = await resolve(tx, a.resource);
      const start = startOf(a.start, res, ctx);
      const r = await checkAvailability(tx, res, start, a.duration_minutes ?? res.slotMinutes, a.party_size ?? 1);
      return r.available
        ? { available: true, slot: view(r.slot, res.timezone) }
        : { available: false, reason: r.reason, alternatives: r.alternatives.map((s) => view(s, res.timezone)) };
    }),
});

export const createBookingTool = defineTool({
  name: 'create_booking',
  description: 'Book a resource for this customer. Confirm the details with the customer first.',
  schema: Type.Object({ ...SlotArgs, notes: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  run: async (a, ctx) => {
    const out = await ctx.db.withTenant(ctx.tenantId, async (tx) => {
      const res = await resolve(tx, a.resource);
      const start = startOf(a.start, res, ctx);
      // Idempotent per inbound message: a retried job asking for the same slot gets the booking
      // its first attempt made (bookings.source_message_id, migration 0011), not a new one.
      const again = ctx.inboundMessageId ? await bookedByMessage(tx, ctx.inboundMessageId, res.id, start) : undefined;
      if (again) {
        const local = formatSlot(new Date(again.s), new Date(again.e), res.timezone);
        return { booked: true, booking_id: again.id, resource: res.name, start: again.s, end: again.e, local };
      }
      const r = await createBooking(tx, {
        tenantId: ctx.tenantId,
        customerId: ctx.customerId,
        conversationId: ctx.conversationId,
        resource: res,
        start,
        durationMin: a.duration_minutes ?? res.slotMinutes,
        partySize: a.party_size ?? 1,
        notes: a.notes,
      });
      if (!r.ok) return { booked: false, reason: r.reason, alternatives: r.alternatives.map((s) => view(s, res.timezone)) };
      if (ctx.inboundMessageId) await tx.execute(sql`update bookings set source_message_id = ${ctx.inboundMessageId} where id = ${r.bookingId}`);
      const local = formatSlot(new Date(r.slot.start), new Date(r.slot.end), res.timezone);
      await addFact(tx, { tenantId: ctx.tenantId, customerId: ctx.customerId, conversationId: ctx.conversationId, content: `Booking ${r.bookingId}: ${res.name}, ${local}` });
      return { booked: true, booking_id: r.bookingId, resource: res.name, start: r.slot.start, end: r.slot.end, local };
    });
    if (out.booked) ctx.say(`Booked: ${out.resource}, ${out.local}. Ref ${String(out.booking_id).slice(0, 8).toUpperCase()}.`, 'append');
    return out;
  },
});

export const cancelBookingTool = defineTool({
  name: 'cancel_booking',
  description: "Cancel one of this customer's own bookings by its booking_id.",
  schema: Type.Object({ booking_id: Type.String({ description: 'The booking id returned by create_booking.' }) }, { additionalProperties: false }),
  run: async (a, ctx) => {
    const out = await ctx.db.withTenant(ctx.tenantId, async (tx) => {
      if (!(await cancelBooking(tx, ctx.customerId, a.booking_id))) throw new ToolRefusal('No confirmed booking with that id for this customer.');
      await addFact(tx, { tenantId: ctx.tenantId, customerId: ctx.customerId, conversationId: ctx.conversationId, content: `Booking ${a.booking_id} canceled` });
      return { canceled: true, booking_id: a.booking_id };
    });
    ctx.say(canceledLine(a.booking_id, ctx.language), 'append');
    return out;
  },
});

/** The confirmed booking an earlier attempt of this inbound message made for this slot, if any. */
async function bookedByMessage(tx: Tx, inboundId: string, resourceId: string, start: Date) {
  const r = await tx.execute(sql`select id, lower(during) as s, upper(during) as e from bookings
    where source_message_id = ${inboundId} and resource_id = ${resourceId} and lower(during) = ${start.toISOString()}::timestamptz and status = 'confirmed'`);
  const row = r.rows[0] as { id: string; s: string | Date; e: string | Date } | undefined;
  return row && { id: String(row.id), s: new Date(row.s).toISOString(), e: new Date(row.e).toISOString() };
}
