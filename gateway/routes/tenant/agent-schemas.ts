/** TypeBox pieces shared by the agents' tenant API routes (ids and dates: ../../schemas/common.ts). */
import { Type } from '@sinclair/typebox';

// [open, close] as "HH:MM". An array of exactly two rather than a TypeBox tuple: the tuple's
// draft-07 `items: [...]` form is not valid in an OpenAPI 3.0 document.
const HHMM = Type.String({ pattern: '^\\d\\d:\\d\\d$' });
export const HourPair = Type.Unsafe<[string, string]>(Type.Array(HHMM, { minItems: 2, maxItems: 2 }));
export const OpeningHoursSchema = Type.Partial(
  Type.Object({ mon: HourPair, tue: HourPair, wed: HourPair, thu: HourPair, fri: HourPair, sat: HourPair, sun: HourPair }),
  { additionalProperties: false },
);
