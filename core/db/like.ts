/**
 * Search text → an ILIKE pattern that matches it literally anywhere in a value (`%text%`):
 * `%`, `_` and `\` are escaped with a backslash, PostgreSQL's default LIKE escape character
 * (https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE).
 * Pass the result as a bound parameter, never spliced into SQL text.
 * @returns undefined when there is no search text (no filter).
 */
export function containsPattern(text: string | null | undefined): string | undefined {
  return text ? `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined;
}
