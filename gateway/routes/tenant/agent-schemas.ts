/** TypeBox pieces shared by the agents' tenant API routes (ids and dates: ../../schemas/common.ts). */
import { Type } from '@sinclair/typebox';

export const HourPair = Type.Tuple([Type.String({ pattern: '^\\d\\d:\\d\\d$' }), Type.String({ pattern: '^\\d\\d:\\d\\d$' })]);
export const OpeningHoursSchema = Type.Partial(
  Type.Object({ mon: HourPair, tue: HourPair, wed: HourPair, thu: HourPair, fri: HourPair, sat: HourPair, sun: HourPair }),
  { additionalProperties: false },
);

/** @deprecated import `IdParams` / `Uuid` from gateway/schemas/common.ts (kept for unmerged branches). */
export { IdParams, Uuid as UuidString } from '../../schemas/common.ts';
