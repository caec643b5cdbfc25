/**
 * Bookable resources (room, table, stylist, doctor, test drive, viewing…) and their bookings.
 *
 * No double booking: `bookings_no_overlap` (EXCLUDE USING gist (resource_id WITH =, during WITH
 * &&) WHERE status = 'confirmed') makes PostgreSQL reject an overlapping confirmed booking even
 * under concurrent inserts; the insert runs in a savepoint so a conflict is answered with
 * alternatives in the same transaction. Times are instants (timestamptz); opening hours are wall
 * clock in the resource's IANA timezone. Durations in minutes.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { bookings, resources, type OpeningHours } from '../../db/schema/index.ts';
import { isUuid } from '../../db/client.ts';
import { AppError } from '../../errors.ts';

export type ResourceRow = typeof resources.$inferSelect;
export type BookingRow = typeof bookings.$inferSelect;
export interface Slot {
  resourceId: string;
  resource: string;
  start: string;
  end: string;
}

export class BookingInputError extends AppError {
  constructor(message: string) {
    super('invalid_booking', message);
  }
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Offset of `tz` from UTC at instant `ms`, in ms (Intl `longOffset`, e.g. "GMT+03:00"). */
function tzOffsetMs(ms: number, tz: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d\d):?(\d\d)?/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000 : 0;
}

/** ISO 8601 date-time → Date; without an offset it is wall-clock time in `tz`. @throws BookingInputError. */
export function parseTime(text: string, tz: string): Date {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(text.trim());
  if (!m) throw new BookingInputError(`not an ISO date-time: "${text}" (use YYYY-MM-DDTHH:MM)`);
  if (m[7]) return new Date(text.trim().replace(' ', 'T'));
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  return new Date(wall - tzOffsetMs(wall - tzOffsetMs(wall, tz), tz));
}

/** Wall-clock weekday and "HH:MM" of an instant in `tz`. */
function wall(d: Date, tz: string): { day: (typeof DAYS)[number]; hm: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: get('weekday').toLowerCase().slice(0, 3) as (typeof DAYS)[number], hm: `${get('hour')}:${get('minute')}` };
}

/** True when [start, end) lies within one day's opening hours ({} = always open). */
export function isOpen(hours: OpeningHours, tz: string, start: Date, end: Date): boolean {
  if (!Object.keys(hours).length) return true;
  const a = wall(start, tz);
  const b = wall(new Date(end.getTime() - 1), tz);
  const h = hours[a.day];
  return !!h && a.day === b.day && a.hm >= h[0] && b.hm < h[1];
}

/** Human text for a slot, e.g. "Sat 21 Nov 14:00–15:00". */
export function formatSlot(start: Date, end: Date, tz: string): string {
  const f = (d: Date, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...o }).format(d);
  return `${f(start, { weekday: 'short', day: 'numeric', month: 'short' })} ${f(start, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}–${f(end, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}`;
}

export async function listResources(tx: Tx, onlyActive = false): Promise<ResourceRow[]> {
  const q = tx.select().from(resources);
  return (onlyActive ? q.where(eq(resources.active, true)) : q).orderBy(asc(resources.name));
}

/** A resource by id or (case-insensitive) name, in the transaction's tenant. */
export async function findResource(tx: Tx, ref: string): Promise<ResourceRow | undefined> {
  const [row] = await tx
    .select()
    .from(resources)
    .where(and(eq(resources.active, true), isUuid(ref) ? eq(resources.id, ref) : sql`lower(${resources.name}) = lower(${ref})`));
  return row;
}

async function busy(tx: Tx, resourceId: string, from: Date, to: Date): Promise<Array<[number, number]>> {
  const r = await tx.execute(sql`select lower(during) as s, upper(during) as e from bookings
    where resource_id = ${resourceId} and status = 'confirmed'
      and during && tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`);
  return (r.rows as Array<{ s: string; e: string }>).map((b) => [new Date(b.s).getTime(), new Date(b.e).getTime()]);
}

/** Free slots of `durationMin` on resources like `res` near `start`: same time elsewhere, then later on `res`. */
export async function alternatives(tx: Tx, res: ResourceRow, start: Date, durationMin: number, partySize: number, max = 3): Promise<Slot[]> {
  const out: Slot[] = [];
  const dur = durationMin * 60_000;
  const others = (await listResources(tx, true)).filter((r) => r.id !== res.id && r.kind === res.kind && r.capacity >= partySize);
  for (const o of others) {
    if (out.length >= 2) break;
    const end = new Date(start.getTime() + dur);
    if (isOpen(o.openingHours, o.timezone, start, end) && !(await busy(tx, o.id, start, end)).length)
      out.push({ resourceId: o.id, resource: o.name, start: start.toISOString(), end: end.toISOString() });
  }
  const horizon = new Date(start.getTime() + 7 * 86_400_000);
  const taken = await busy(tx, res.id, start, horizon);
  const step = res.slotMinutes * 60_000;
  for (let t = start.getTime() + step; t < horizon.getTime() && out.length < max; t += step) {
    const s = new Date(t);
    const e = new Date(t + dur);
    if (!isOpen(res.openingHours, res.timezone, s, e) || taken.some(([a, b]) => a < e.getTime() && t < b)) continue;
    out.push({ resourceId: res.id, resource: res.name, start: s.toISOString(), end: e.toISOString() });
  }
  return out;
}

export type Availability =
  | { available: true; slot: Slot }
  | { available: false; reason: 'closed' | 'taken' | 'too_large'; alternatives: Slot[] };

export async function checkAvailability(tx: Tx, res: ResourceRow, start: Date, durationMin: number, partySize: number): Promise<Availability> {
  const end = new Date(start.getTime() + durationMin * 60_000);
  const slot = { resourceId: res.id, resource: res.name, start: start.toISOString(), end: end.toISOString() };
  if (partySize > res.capacity) return { available: false, reason: 'too_large', alternatives: await alternatives(tx, res, start, durationMin, partySize) };
  if (!isOpen(res.openingHours, res.timezone, start, end))
    return { available: false, reason: 'closed', alternatives: await alternatives(tx, res, start, durationMin, partySize) };
  if ((await busy(tx, res.id, start, end)).length)
    return { available: false, reason: 'taken', alternatives: await alternatives(tx, res, start, durationMin, partySize) };
  return { available: true, slot };
}

export type BookingResult = { ok: true; bookingId: string; slot: Slot } | { ok: false; reason: 'closed' | 'taken' | 'too_large'; alternatives: Slot[] };

/** Book `res` for the customer; a concurrent overlapping booking → `taken` with alternatives. */
export async function createBooking(
  tx: Tx,
  input: { tenantId: string; customerId: string; conversationId?: string; resource: ResourceRow; start: Date; durationMin: number; partySize: number; notes?: string },
): Promise<BookingResult> {
  // Bookings of one resource queue up behind a transaction-scoped advisory lock: without it, many
  // overlapping inserts wait on each other inside the exclusion check and PostgreSQL breaks the
  // cycles with deadlock aborts (1 s detection each), which under load stalls for many seconds.
  // The EXCLUDE constraint stays the guarantee (other writers, the lock's hash colliding).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`booking:${input.resource.id}`}, 0))`);
  const avail = await checkAvailability(tx, input.resource, input.start, input.durationMin, input.partySize);
  if (!avail.available) return { ok: false, reason: avail.reason, alternatives: avail.alternatives };
  // Should two transactions still race into the exclusion check, PostgreSQL may abort one with a
  // deadlock (40P01). Its savepoint is rolled back and the insert retried: by then the winner has
  // committed (→ 23P01, taken) or rolled back (→ ours wins).
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await tx.transaction(async (sp) => {
        const r = await sp.execute(sql`insert into bookings (tenant_id, resource_id, customer_id, conversation_id, during, party_size, notes)
          values (${input.tenantId}, ${input.resource.id}, ${input.customerId}, ${input.conversationId ?? null},
            tstzrange(${avail.slot.start}::timestamptz, ${avail.slot.end}::timestamptz, '[)'), ${input.partySize}, ${input.notes ?? null})
          returning id`);
        return String((r.rows[0] as { id: string }).id);
      });
      return { ok: true, bookingId: id, slot: avail.slot };
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      if (code === '40P01' && attempt < 5) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
        continue;
      }
      if (code !== '23P01') throw err;
      return { ok: false, reason: 'taken', alternatives: await alternatives(tx, input.resource, input.start, input.durationMin, input.partySize) };
    }
  }
}

/** Cancel one of this customer's confirmed bookings. @returns false when there is no such booking for them. */
export async function cancelBooking(tx: Tx, customerId: string, bookingId: string): Promise<boolean> {
  if (!isUuid(bookingId)) return false;
  const r = await tx
    .update(bookings)
    .set({ status: 'canceled', canceledAt: sql`now()` })
    .where(and(eq(bookings.id, bookingId), eq(bookings.customerId, customerId), eq(bookings.status, 'confirmed')))
    .returning({ id: bookings.id });
  return r.length > 0;
}

/**
 * Staff cancel: any confirmed booking of the transaction's tenant (RLS scopes it).
 * @returns {id, status} of the canceled booking, or undefined when there is no such confirmed booking.
 */
export async function cancelBookingById(tx: Tx, bookingId: string): Promise<{ id: string; status: BookingRow['status'] } | undefined> {
  const [row] = await tx
    .update(bookings)
    .set({ status: 'canceled', canceledAt: sql`now()` })
    .where(and(eq(bookings.id, bookingId), eq(bookings.status, 'confirmed')))
    .returning({ id: bookings.id, status: bookings.status });
  return row;
}

export interface BookingView {
  id: string;
  resourceId: string;
  resource: string;
  customerId: string;
  start: string;
  end: string;
  partySize: number;
  status: string;
  notes: string | null;
}

/** Bookings in the tenant (optionally one customer's), by start time. */
export async function listBookings(tx: Tx, f: { customerId?: string; from?: Date; to?: Date; limit?: number } = {}): Promise<BookingView[]> {
  const r = await tx.execute(sql`select b.id, b.resource_id, r.name, b.customer_id, lower(b.during) as s, upper(b.during) as e, b.party_size, b.status, b.notes
    from bookings b join resources r on r.id = b.resource_id
    where (${f.customerId ?? null}::uuid is null or b.customer_id = ${f.customerId ?? null}::uuid)
      and (${f.from?.toISOString() ?? null}::timestamptz is null or upper(b.during) > ${f.from?.toISOString() ?? null}::timestamptz)
      and (${f.to?.toISOString() ?? null}::timestamptz is null or lower(b.during) < ${f.to?.toISOString() ?? null}::timestamptz)
    order by lower(b.during) limit ${f.limit ?? 200}`);
  return (r.rows as Array<Record<string, unknown>>).map((b) => ({
    id: String(b.id),
    resourceId: String(b.resource_id),
    resource: String(b.name),
    customerId: String(b.customer_id),
    start: new Date(b.s as string).toISOString(),
    end: new Date(b.e as string).toISOString(),
    partySize: Number(b.party_size),
    status: String(b.status),
    notes: (b.notes as string | null) ?? null,
  }));
}


export interface ResourceInput {
  name: string;
  kind?: string;
  capacity?: number;
  slotMinutes?: number;
  openingHours?: OpeningHours;
  timezone?: string;
  active?: boolean;
}

/** @throws BookingInputError for an unknown timezone or malformed opening hours. */
function checkResource(input: Partial<ResourceInput>): void {
  if (input.timezone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: input.timezone });
    } catch {
      throw new BookingInputError(`unknown timezone "${input.timezone}"`);
    }
  }
  for (const [day, h] of Object.entries(input.openingHours ?? {})) {
    if (!(DAYS as readonly string[]).includes(day) || !Array.isArray(h) || h.length !== 2 || !h.every((x) => /^([01]\d|2[0-4]):[0-5]\d$/.test(x)) || h[0] >= h[1])
      throw new BookingInputError(`opening hours for "${day}" must be ["HH:MM","HH:MM"] with open < close`);
  }
}

export async function createResource(tx: Tx, tenantId: string, input: ResourceInput): Promise<ResourceRow> {
  checkResource(input);
  const [row] = await tx.insert(resources).values({ tenantId, ...input }).returning();
  return row!;
}

/** @returns the updated row, or undefined when the resource does not exist in this tenant. */
export async function updateResource(tx: Tx, id: string, input: Partial<ResourceInput>): Promise<ResourceRow | undefined> {
  checkResource(input);
  const [row] = await tx.update(resources).set(input).where(eq(resources.id, id)).returning();
  return row;
}
