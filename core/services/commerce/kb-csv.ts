/**
 * CSV FAQ → knowledge chunks. The first row is the header (RFC 4180, parsed with csv-parse).
 * With a question column (question|q|swali) and an answer column (answer|a|jibu) each row becomes
 * "Q: …\nA: …"; otherwise each row becomes "header: value" lines (a price list, a menu). Empty
 * rows are skipped; a cell is cut at 1,600 characters.
 */
import { parse } from 'csv-parse/sync';

const Q = /^(question|q|swali|maswali)$/i;
const A = /^(answer|a|jibu|majibu)$/i;

/** @returns one chunk per non-empty data row; [] when the text has no data rows or is not CSV. */
export function csvChunks(body: string): string[] {
  let rows: string[][];
  try {
    rows = parse(body, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch {
    return [];
  }
  if (rows.length < 2) return [];
  const header = rows[0]!.map((h) => h.trim());
  const qi = header.findIndex((h) => Q.test(h));
  const ai = header.findIndex((h) => A.test(h));
  const cell = (r: string[], i: number) => (r[i] ?? '').slice(0, 1600);
  return rows
    .slice(1)
    .map((r) =>
      qi >= 0 && ai >= 0
        ? [cell(r, qi) && `Q: ${cell(r, qi)}`, cell(r, ai) && `A: ${cell(r, ai)}`].filter(Boolean).join('\n')
        : header
            .map((h, i) => (cell(r, i) ? `${h || `column ${i + 1}`}: ${cell(r, i)}` : ''))
            .filter(Boolean)
            .join('\n'),
    )
    .filter(Boolean);
}
