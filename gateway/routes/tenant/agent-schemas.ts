/** TypeBox pieces shared by the agents' tenant API routes. */
import { Type } from '@sinclair/typebox';

export const UuidString = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
export const IdParams = Type.Object({ id: UuidString });
export const HourPair = Type.Tuple([Type.String({ pattern: '^\\d\\d:\\d\\d$' }), Type.String({ pattern: '^\\d\\d:\\d\\d$' })]);
export const OpeningHoursSchema = Type.Partial(
  Type.Object({ mon: HourPair, tue: HourPair, wed: HourPair, thu: HourPair, fri: HourPair, sat: HourPair, sun: HourPair }),
  { additionalProperties: false },
);
