/**
 * Calendar-month arithmetic for billing, in UTC. A month is named by its first day, 'YYYY-MM-01'
 * (what Postgres `date` columns read back as).
 */

/** 'YYYY-MM-01' of the month containing `d` (UTC). */
export function monthOf(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/** `month` ('YYYY-MM-01') shifted by `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthOf(new Date(Date.UTC(y, m - 1 + n, 1)));
}

/** The instant `d` shifted by `n` calendar months (day clamped to the target month's length). */
export function addMonthsToDate(d: Date, n: number): Date {
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  target.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return target;
}

/** Months ('YYYY-MM-01') that the half-open period [start, end) overlaps, in order. */
export function monthsOverlapping(start: Date, end: Date): string[] {
  if (end <= start) return [];
  const last = monthOf(new Date(end.getTime() - 1));
  const out: string[] = [];
  for (let m = monthOf(start); m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The `count` months ending with `last`, oldest first. */
export function monthRange(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}
