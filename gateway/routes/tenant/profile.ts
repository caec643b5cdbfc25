/**
 * Business profile (console Settings):
 *  GET   /api/tenant/profile → BusinessProfile  (read)
 *  PATCH /api/tenant/profile {any profile field} → the updated BusinessProfile  (settings; audited
 *        profile.update). Unknown timezone / non-http website → 400 invalid_profile.
 * Stored in the tenant row (core/services/setup/business-profile.ts); the agent's prompt reads it.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getProfile, updateProfile } from '../../../core/services/setup/business-profile.ts';
import { Nullable, responses } from './console-schemas.ts';

const Language = Type.Union([Type.Literal('en'), Type.Literal('sw'), Type.Literal('sheng')]);
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  industry: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' }),
  description: Type.String({ maxLength: 4000 }),
  address: Type.String({ maxLength: 500 }),
  phone: Type.String({ maxLength: 40, pattern: '^$|^\\+?[0-9 ()-]{6,40}$' }),
  website: Type.String({ maxLength: 300 }),
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  languages: Type.Array(Language, { minItems: 1, maxItems: 3, uniqueItems: true }),
  persona: Type.String({ maxLength: 2000 }),
  escalationRules: Type.String({ maxLength: 2000 }),
  debounceMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
};
const Profile = Type.Object({ ...Fields, autoHandbackMinutes: Nullable(Type.Number({ minimum: 1, maximum: 10_080 })) });
const Patch = Type.Partial(Profile, { additionalProperties: false, minProperties: 1 });

export const tenantProfileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get('/api/tenant/profile', { schema: { response: responses({ 200: Profile }) }, preHandler: app.requireTenantRole('read') }, async (req) =>
    getProfile(db, req.auth!.tenant!.id),
  );
  app.patch(
    '/api/tenant/profile',
    { schema: { body: Patch, response: responses({ 200: Profile }) }, preHandler: app.requireTenantRole('settings') },
    async (req) => updateProfile(db, req.auth!.tenant!.id, req.body, { type: 'tenant_user', id: req.auth!.sub, ip: req.ip }),
  );
};
