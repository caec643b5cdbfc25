/**
 * The caller's tenant settings (tenant API):
 *  GET   /api/tenant/settings → {tenant: {id, slug, name, industry, planId, status, profile, settings}}  (read)
 *  PATCH /api/tenant/settings {name?, profile?, settings?} → same shape  (settings; `prices` as well
 *        when profile.prices is in the patch). Objects merge shallowly; null removes a key.
 *        Audited: settings.update, and prices.update when the price list changed.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { tenantCan } from '../../../core/services/tenancy/permissions.ts';
import { getTenantSettings, touchesPrices, updateTenantSettings, type SettingsPatch } from '../../../core/services/tenancy/tenant-settings.ts';
import { AppError } from '../../../core/errors.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Profile = Type.Object(
  {
    description: Nullable(Type.String({ maxLength: 4000 })),
    hours: Nullable(Type.String({ maxLength: 1000 })),
    prices: Nullable(Type.String({ maxLength: 8000 })),
    location: Nullable(Type.String({ maxLength: 500 })),
    languages: Type.Optional(Type.Array(Type.Union([Type.Literal('en'), Type.Literal('sw'), Type.Literal('sheng')]), { maxItems: 3 })),
  },
  { additionalProperties: Type.Unknown(), maxProperties: 40 },
);
const Patch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    profile: Type.Optional(Profile),
    settings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export async function tenantSettingsRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.get('/api/tenant/settings', { preHandler: app.requireTenantRole('read') }, async (req) => {
    const tenant = await getTenantSettings(db, req.auth!.tenant!.id);
    if (!tenant) throw new AppError('not_found', 'No such tenant');
    return { tenant };
  });

  app.patch<{ Body: SettingsPatch }>(
    '/api/tenant/settings',
    { schema: { body: Patch }, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const t = req.auth!.tenant!;
      if (touchesPrices(req.body) && !tenantCan(t.role, 'prices')) throw new AppError('forbidden', `Your role (${t.role}) may not change prices`);
      return { tenant: await updateTenantSettings(db, t.id, req.body, { type: 'tenant_user', id: req.auth!.sub, ip: req.ip }) };
    },
  );
}
