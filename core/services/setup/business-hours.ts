/**
 * Business opening hours: a weekly plan (day 0 = Sunday … 6, wall-clock "HH:MM" in the tenant's
 * IANA timezone, a missing day = closed, optional breaks inside the day) plus dated holidays
 * (closed all day). Pure functions: validation and "open now / next opening" for the agent's
 * prompt. Times are compared as wall clock in the timezone (Intl.DateTimeFormat), so DST-using
 * zones work without a timezone library.
 */
import { AppError } from '../../errors.ts';

export const DEFAULT_TIMEZONE = 'Africa/Nairobi';

export interface DayHours {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  open: string;
  close: string;
  breaks: Array<{ start: string; end: string }>;
}
export interface Holiday {
  /** YYYY-MM-DD in the tenant's timezone. */
  date: string;
  name: string;
}
export interface BusinessHours {
  weekly: DayHours[];
  holidays: Holiday[];
}

export class HoursInputError extends AppError {
  constructor(message: string) {
    super('invalid_hours', message);
  }
}

const HM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** True when `tz` is an IANA timezone name this runtime knows. */
export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/**
 * Check a weekly plan: "HH:MM" times, close > open, breaks inside the day and not overlapping,
 * one entry per day, real calendar dates for holidays. @throws HoursInputError naming the problem.
 */
export function validateHours(h: BusinessHours): void {
  const seen = new Set<number>();
  for (const d of h.weekly) {
    const name = DAY_NAMES[d.day] ?? `day ${d.day}`;
    if (!Number.isInteger(d.day) || d.day < 0 || d.day > 6) throw new HoursInputError(`day must be 0 (Sunday) … 6, got ${d.day}`);
    if (seen.has(d.day)) throw new HoursInputError(`${name} is listed twice`);
    seen.add(d.day);
    if (!HM.test(d.open) || !HM.test(d.close)) throw new HoursInputError(`${name}: times must be HH:MM`);
    if (d.close <= d.open) throw new HoursInputError(`${name}: closing time ${d.close} must be after opening time ${d.open}`);
    const breaks = [...d.breaks].sort((a, b) => a.start.localeCompare(b.start));
    breaks.forEach((b, i) => {
      if (!HM.test(b.start) || !HM.test(b.end)) throw new HoursInputError(`${name}: break times must be HH:MM`);
      if (b.end <= b.start) throw new HoursInputError(`${name}: break ${b.start}–${b.end} must end after it starts`);
      if (b.start <= d.open || b.end >= d.close) throw new HoursInputError(`${name}: break ${b.start}–${b.end} must lie inside ${d.open}–${d.close}`);
      if (i > 0 && b.start < breaks[i - 1]!.end) throw new HoursInputError(`${name}: breaks overlap`);
    });
  }
  for (const x of h.holidays) {
    const t = Date.parse(`${x.date}T00:00:00Z`);
    if (!/^\d{4}-\d\d-\d\d$/.test(x.date) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== x.date)
      throw new HoursInputError(`holiday date "${x.date}" is not a real YYYY-MM-DD date`);
  }
}

/** Wall clock of an instant in `tz`: date "YYYY-MM-DD", weekday 0–6, "HH:MM". */
export function wallClock(at: Date, tz: string): { date: string; day: number; hm: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    hm: `${get('hour')}:${get('minute')}`,
  };
}

/** Open intervals ["HH:MM","HH:MM") of one weekday after taking the breaks out. */
function intervals(d: DayHours): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let from = d.open;
  for (const b of [...d.breaks].sort((a, c) => a.start.localeCompare(c.start))) {
    if (b.start > from) out.push([from, b.start]);
    from = b.end;
  }
  if (d.close > from) out.push([from, d.close]);
  return out;
}

export interface OpenState {
  open: boolean;
  /** When open: closing (or break) time today "HH:MM". */
  closesAt?: string;
  /** When closed: the next opening as "Monday 08:00" (wall clock) and its date; undefined when never open. */
  nextOpening?: { date: string; weekday: string; time: string };
}

/**
 * Whether the business is open at `at`, and if not when it next opens (looks up to 14 days
 * ahead, skipping holidays). An empty weekly plan means hours are unknown: reported as open.
 */
export function openState(h: BusinessHours, tz: string, at: Date): OpenState {
  if (!h.weekly.length) return { open: true };
  const holidays = new Set(h.holidays.map((x) => x.date));
  const now = wallClock(at, tz);
  const today = h.weekly.find((d) => d.day === now.day);
  if (today && !holidays.has(now.date)) {
    const cur = intervals(today).find(([a, b]) => now.hm >= a && now.hm < b);
    if (cur) return { open: true, closesAt: cur[1] };
    const later = intervals(today).find(([a]) => a > now.hm);
    if (later) return { open: false, nextOpening: { date: now.date, weekday: DAY_NAMES[now.day]!, time: later[0] } };
  }
  for (let i = 1; i <= 14; i++) {
    const w = wallClock(new Date(at.getTime() + i * 86_400_000), tz);
    const d = h.weekly.find((x) => x.day === w.day);
    if (d && !holidays.has(w.date)) return { open: false, nextOpening: { date: w.date, weekday: DAY_NAMES[w.day]!, time: intervals(d)[0]![0] } };
  }
  return { open: false };
}

/** One line per day for the prompt, e.g. "Monday 08:00–18:00 (break 13:00–14:00)"; closed days say so. */
export function describeHours(h: BusinessHours): string[] {
  return DAY_NAMES.map((name, i) => {
    const d = h.weekly.find((x) => x.day === i);
    if (!d) return `${name}: closed`;
    const br = d.breaks.length ? ` (break ${d.breaks.map((b) => `${b.start}–${b.end}`).join(', ')})` : '';
    return `${name}: ${d.open}–${d.close}${br}`;
  });
}
