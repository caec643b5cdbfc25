/**
 * Bookings made, moved and canceled by staff in the console, and the console's booking list.
 * Same no-double-booking guarantee as the agent's create_booking (bookings.ts): bookings of one
 * resource queue behind a transaction-scoped advisory lock and the `bookings_no_overlap`
 * EXCLUDE constraint rejects any overlap (SQLSTATE 23P01 → BookingTakenError, 409 slot_taken).
 * Staff may book outside a resource's opening hours (a hotel takes a late check-in by phone);
 * only overlap is refused. Times are instants (ISO 8601 in and out).
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { bookings, customers, resources } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { BookingInputError } from './bookings.ts';

export class BookingTakenError extends AppError {
  constructor() {
    super('slot_taken', 'That time overlaps another confirmed booking on this resource');
  }
}

export interface ConsoleBooking {
  id: string;
  resourceId: string;
  resourceName: string;
  customerId: string | null;
  customerName: string | null;
  startsAt: string;
  endsAt: string;
  status: string;
  note: string | null;
  partySize: number;
}

const SELECT = sql`select b.id, b.resource_id, r.name as resource_name, b.customer_id,
    coalesce(c.name, b.contact_name, c.handle) as customer_name, lower(b.during) as s, upper(b.during) as e,
    b.status, b.notes, b.party_size
  from bookings b join resources r on r.id = b.resource_id left join customers c on c.id = b.customer_id`;

const shape = (b: Record<string, unknown>): ConsoleBooking => ({
  id: String(b.id),
  resourceId: String(b.resource_id),
  resourceName: String(b.resource_name),
  customerId: (b.customer_id as string | null) ?? null,
  customerName: (b.customer_name as string | null) ?? null,
  startsAt: new Date(b.s as string).toISOString(),
  endsAt: new Date(b.e as string).toISOString(),
  status: String(b.status),
  note: (b.notes as string | null) ?? null,
  partySize: Number(b.party_size),
});

export interface BookingPageFilter {
  from?: Date;
  to?: Date;
  resourceId?: string;
  customerId?: string;
  limit: number;
  /** Keyset cursor: [startsAt ISO, id] of the last row of the previous page. */
  after?: [string, string];
}

/** One page of bookings overlapping [from, to), by start time then id. */
export async function listBookingPage(tx: Tx, f: BookingPageFilter): Promise<{ items: ConsoleBooking[]; last?: [string, string] }> {
  // Only the filters given, so the planner sees plain range predicates on (tenant_id, lower(during)).
  const where: SQL[] = [sql`true`];
  if (f.to) where.push(sql`lower(b.during) < ${f.to.toISOString()}::timestamptz`);
  if (f.from) where.push(sql`upper(b.during) > ${f.from.toISOString()}::timestamptz`);
  if (f.resourceId) where.push(sql`b.resource_id = ${f.resourceId}::uuid`);
  if (f.customerId) where.push(sql`b.customer_id = ${f.customerId}::uuid`);
  if (f.after) where.push(sql`(lower(b.during), b.id) > (${f.after[0]}::timestamptz, ${f.after[1]}::uuid)`);
  // A booking starts at most a year before it ends (checkRange), so a lower bound on the start
  // lets the index skip everything older than `from` minus a year.
  if (f.from) where.push(sql`lower(b.during) > ${new Date(f.from.getTime() - 367 * 86_400_000).toISOString()}::timestamptz`);
  const r = await tx.execute(sql`${SELECT} where ${sql.join(where, sql` and `)} order by lower(b.during), b.id limit ${f.limit + 1}`);
  const rows = (r.rows as Array<Record<string, unknown>>).map(shape);
  const items = rows.slice(0, f.limit);
  const tail = items[items.length - 1];
  return { items, last: rows.length > f.limit && tail ? [tail.startsAt, tail.id] : undefined };
}

export async function getConsoleBooking(tx: Tx, id: string): Promise<ConsoleBooking | undefined> {
  const r = await tx.execute(sql`${SELECT} where b.id = ${id}`);
  const row = r.rows[0] as Record<string, unknown> | undefined;
  return row && shape(row);
}

function checkRange(start: Date, end: Date): void {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new BookingInputError('startsAt and endsAt must be ISO date-times');
  if (end <= start) throw new BookingInputError('endsAt must be after startsAt');
  if (end.getTime() - start.getTime() > 366 * 86_400_000) throw new BookingInputError('a booking lasts at most a year');
}

const lockResource = (tx: Tx, resourceId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`booking:${resourceId}`}, 0))`);

/** Run a write that may hit the exclusion constraint; overlap → BookingTakenError. */
async function guarded<T>(tx: Tx, fn: (sp: Tx) => Promise<T>): Promise<T> {
  try {
    return await tx.transaction(fn);
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === '23P01') throw new BookingTakenError();
    throw err;
  }
}

/** The customer for a hand-made booking: found or created by phone (the SMS/WhatsApp handle). */
async function customerFor(tx: Tx, tenantId: string, name?: string, phone?: string): Promise<string | null> {
  if (!phone) return null;
  const handle = phone.replace(/[\s()-]/g, '');
  const [row] = await tx
    .insert(customers)
    .values({ tenantId, handle, phone: handle, name: name ?? null })
    .onConflictDoUpdate({ target: [customers.tenantId, customers.handle], set: { name: sql`coalesce(${customers.name}, excluded.name)` } })
    .returning({ id: customers.id });
  return row!.id;
}

export interface ManualBookingInput {
  resourceId: string;
  start: Date;
  end: Date;
  customerName?: string;
  customerPhone?: string;
  note?: string;
}

/**
 * Book a resource by hand. @returns undefined when the resource is not this tenant's (or inactive).
 * @throws BookingTakenError (409) on overlap, BookingInputError (400) for a bad range.
 */
export async function createManualBooking(tx: Tx, tenantId: string, input: ManualBookingInput): Promise<ConsoleBooking | undefined> {
  checkRange(input.start, input.end);
  const [res] = await tx.select({ id: resources.id }).from(resources).where(and(eq(resources.id, input.resourceId), eq(resources.active, true)));
  if (!res) return undefined;
  await lockResource(tx, res.id);
  const customerId = await customerFor(tx, tenantId, input.customerName, input.customerPhone);
  const id = await guarded(tx, async (sp) => {
    const r = await sp.execute(sql`insert into bookings (tenant_id, resource_id, customer_id, during, notes, contact_name)
      values (${tenantId}, ${res.id}, ${customerId}, tstzrange(${input.start.toISOString()}::timestamptz, ${input.end.toISOString()}::timestamptz, '[)'),
        ${input.note ?? null}, ${customerId ? null : (input.customerName ?? null)})
      returning id`);
    return String((r.rows[0] as { id: string }).id);
  });
  return getConsoleBooking(tx, id);
}

/**
 * Move a confirmed booking to a new time (and optionally another resource of this tenant).
 * @returns undefined when the booking (or target resource) is not this tenant's or not confirmed.
 * @throws BookingTakenError (409) on overlap, BookingInputError (400) for a bad range.
 */
export async function moveBooking(tx: Tx, id: string, to: { start: Date; end: Date; resourceId?: string }): Promise<ConsoleBooking | undefined> {
  checkRange(to.start, to.end);
  const [cur] = await tx.select({ resourceId: bookings.resourceId }).from(bookings).where(and(eq(bookings.id, id), eq(bookings.status, 'confirmed')));
  if (!cur) return undefined;
  const target = to.resourceId ?? cur.resourceId;
  if (target !== cur.resourceId) {
    const [res] = await tx.select({ id: resources.id }).from(resources).where(and(eq(resources.id, target), eq(resources.active, true)));
    if (!res) return undefined;
  }
  // Both resources' locks, in a fixed order so two opposite moves cannot deadlock.
  for (const r of [...new Set([cur.resourceId, target])].sort()) await lockResource(tx, r);
  await guarded(tx, (sp) =>
    sp.execute(sql`update bookings set resource_id = ${target},
      during = tstzrange(${to.start.toISOString()}::timestamptz, ${to.end.toISOString()}::timestamptz, '[)')
      where id = ${id} and status = 'confirmed'`),
  );
  return getConsoleBooking(tx, id);
}

/**
 * Remove a resource. One that has bookings is deactivated instead (active = false: the agent
 * stops offering it, the booking history stays). @returns false when it is not this tenant's.
 */
export async function removeResource(tx: Tx, id: string): Promise<boolean> {
  const [used] = await tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.resourceId, id)).limit(1);
  if (used) return (await tx.update(resources).set({ active: false }).where(eq(resources.id, id)).returning({ id: resources.id })).length > 0;
  return (await tx.delete(resources).where(eq(resources.id, id)).returning({ id: resources.id })).length > 0;
}
