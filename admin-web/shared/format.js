// @ts-check
/**
 * Display formats: times in the tenant's timezone (IANA name, e.g. Africa/Nairobi — a 16:00 UTC
 * booking shows 7:00 PM there), money as KES from integer cents, and the inverse conversions the
 * forms need (wall-clock time in a zone → ISO instant; "1,500.50" → 150050 cents).
 */

export const DEFAULT_TZ = 'Africa/Nairobi';

/** @param {string} tz @param {Intl.DateTimeFormatOptions} opts */
const fmt = (tz, opts) => new Intl.DateTimeFormat('en-US', { timeZone: tz, ...opts });

/** "7:00 PM" @param {string | Date} t @param {string} tz */
export const timeIn = (t, tz) => fmt(tz, { hour: 'numeric', minute: '2-digit' }).format(new Date(t));
/** "Sat, Nov 28, 7:00 PM" @param {string | Date} t @param {string} tz */
export const dateTimeIn = (t, tz) => fmt(tz, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(t));
/** "Sat, Nov 28" @param {string | Date} t @param {string} tz */
export const dayIn = (t, tz) => fmt(tz, { weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(t));

/**
 * The wall-clock parts of an instant in a zone.
 * @param {Date} d @param {string} tz @returns {{ y: number, m: number, d: number, h: number, mi: number, wd: number }}
 */
export function partsIn(d, tz) {
  /** @type {Record<string, string>} */
  const p = {};
  for (const x of fmt(tz, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(d)) p[x.type] = x.value;
  return { y: +(p.year ?? 0), m: +(p.month ?? 0), d: +(p.day ?? 0), h: +(p.hour ?? 0) % 24, mi: +(p.minute ?? 0), wd: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? '') };
}

/** "YYYY-MM-DD" of an instant in a zone. @param {Date} d @param {string} tz */
export function dateKeyIn(d, tz) {
  const p = partsIn(d, tz);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/**
 * The instant at which the wall clock in `tz` shows `date` `time` (two passes handle DST edges).
 * @param {string} date YYYY-MM-DD @param {string} time HH:MM @param {string} tz @returns {Date}
 */
export function zonedToUtc(date, time, tz) {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const want = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  let t = want;
  for (let i = 0; i < 2; i++) {
    const p = partsIn(new Date(t), tz);
    t += want - Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi);
  }
  return new Date(t);
}

/** "KES 1,500" / "KES 1,500.50" from cents. @param {number | null | undefined} cents */
export function kes(cents) {
  if (cents === null || cents === undefined) return '—';
  return `KES ${(cents / 100).toLocaleString('en-KE', { minimumFractionDigits: cents % 100 ? 2 : 0, maximumFractionDigits: 2 })}`;
}

/** Shillings typed by a person ("1,500.50") → integer cents, or NaN. @param {string} text */
export function toCents(text) {
  const n = Number(String(text).replace(/[,\s]/g, ''));
  return Number.isFinite(n) && String(text).trim() !== '' ? Math.round(n * 100) : NaN;
}
