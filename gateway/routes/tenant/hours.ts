/**
 * Opening hours (console Settings):
 *  GET /api/tenant/hours → {timezone, weekly: [{day 0..6 (0 = Sunday), open, close, breaks}], holidays}  (read)
 *  PUT /api/tenant/hours {weekly, holidays} → same  (settings; audited hours.update). A missing day
 *      is closed. close <= open, a break outside the day, overlapping breaks, a day twice or a
 *      holiday that is no calendar date → 400 invalid_hours. The timezone comes from the profile.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getHours, putHours } from '../../../core/services/setup/business-profile.ts';
import { HourMinute, responses } from './console-schemas.ts';

const Day = Type.Object(
  {
    day: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }),
    open: HourMinute,
    close: HourMinute,
    breaks: Type.Array(Type.Object({ start: HourMinute, end: HourMinute }, { additionalProperties: false }), { maxItems: 6, default: [] }),
  },
  { additionalProperties: false },
);
const Holiday = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$' }), name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const Body = Type.Object(
  { weekly: Type.Array(Day, { maxItems: 7 }), holidays: Type.Array(Holiday, { maxItems: 100, default: [] }) },
  { additionalProperties: false },
);
const Hours = Type.Object({ timezone: Type.String(), weekly: Type.Array(Day), holidays: Type.Array(Holiday) });

export const tenantHoursRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get('/api/tenant/hours', { schema: { response: responses({ 200: Hours }) }, preHandler: app.requireTenantRole('read') }, async (req) =>
    getHours(db, req.auth!.tenant!.id),
  );
  app.put('/api/tenant/hours', { schema: { body: Body, response: responses({ 200: Hours }) }, preHandler: app.requireTenantRole('settings') }, async (req) =>
    putHours(db, req.auth!.tenant!.id, { weekly: req.body.weekly.map((d) => ({ ...d, breaks: d.breaks ?? [] })), holidays: req.body.holidays ?? [] }, {
      type: 'tenant_user',
      id: req.auth!.sub,
      ip: req.ip,
    }),
  );
};
