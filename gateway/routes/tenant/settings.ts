/**
 * The caller's tenant settings (tenant API):
 *  GET   /api/tenant/settings → {tenant: {id, slug, name, industry, planId, status, profile, settings}}  (read)
 *  PATCH /api/tenant/settings {name?, profile?, settings?} → same shape  (settings; `prices` as well
 *        when profile.prices is in the patch). Objects merge shallowly; null removes a key.
 *        Audited: settings.update, and prices.update when the price list changed.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { tenantCan } from '../../../core/services/tenancy/permissions.ts';
import { getTenantSettings, touchesPrices, updateTenantSettings } from '../../../core/services/tenancy/tenant-settings.ts';
import { AppError } from '../../../core/errors.ts';
import { JsonObject, notFound, withErrors } from '../../schemas/common.ts';

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

/** tenant-settings.ts TenantSettingsView; profile and settings are the tenant's jsonb, free-form by design. */
const TenantSettings = Type.Object({
  tenant: Type.Object({
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    industry: Type.String(),
    planId: Type.String(),
    status: Type.String(),
    profile: JsonObject,
    settings: JsonObject,
  }),
});

export const tenantSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get('/api/tenant/settings', { schema: { response: withErrors({ 200: TenantSettings }) }, preHandler: app.requireTenantRole('read') }, async (req) => {
    const tenant = await getTenantSettings(db, req.auth!.tenant!.id);
    if (!tenant) throw notFound('tenant');
    return { tenant };
  });

  app.patch(
    '/api/tenant/settings',
    { schema: { body: Patch, response: withErrors({ 200: TenantSettings }) }, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const t = req.auth!.tenant!;
      if (touchesPrices(req.body) && !tenantCan(t.role, 'prices')) throw new AppError('forbidden', `Your role (${t.role}) may not change prices`);
      return { tenant: await updateTenantSettings(db, t.id, req.body, { type: 'tenant_user', id: req.auth!.sub, ip: req.ip }) };
    },
  );
};
