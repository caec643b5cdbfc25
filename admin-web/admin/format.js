// @ts-check
/** Display formatting for the admin views (en-GB dates in the viewer's zone, months in UTC). */

/** KES cents → "KES 12,500" (whole shillings). @param {number | null | undefined} cents */
export const kes = (cents) => `KES ${Math.round((cents ?? 0) / 100).toLocaleString('en-US')}`;

/** Fraction → "12.5%"; null/undefined → "–". @param {number | null | undefined} f */
export const pct = (f) => (f == null ? '–' : `${(f * 100).toFixed(1)}%`);

/** Basis points → "20%" (2000 bp). @param {number} bp */
export const rate = (bp) => `${bp / 100}%`;

/** ISO time → "1 Dec 2026, 14:05"; empty → "–". @param {string | null | undefined} iso */
export const when = (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–');

/** ISO time → "1 Dec 2026"; empty → "–". @param {string | null | undefined} iso */
export const day = (iso) => (iso ? new Date(iso).toLocaleDateString('en-GB', { dateStyle: 'medium' }) : '–');

/** 'YYYY-MM-01' → "Dec 26" (UTC, so the month never shifts with the viewer's zone). @param {string} month */
export const monthLabel = (month) =>
  new Date(`${month.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });

/** Integer with thousands separators. @param {number} n */
export const num = (n) => n.toLocaleString('en-US');
