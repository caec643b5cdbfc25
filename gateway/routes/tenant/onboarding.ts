/**
 * GET /api/tenant/onboarding → {steps: [{key, label, done}]} (read): the first-run checklist
 * (profile → hours → knowledge → prices → channel → test), see core/services/setup/onboarding-checklist.ts.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { onboardingSteps } from '../../../core/services/setup/onboarding-checklist.ts';
import { responses } from './console-schemas.ts';

const Key = Type.Union(['profile', 'hours', 'knowledge', 'prices', 'channel', 'test'].map((k) => Type.Literal(k)));
const Steps = Type.Object({ steps: Type.Array(Type.Object({ key: Key, label: Type.String(), done: Type.Boolean() })) });

export const tenantOnboardingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/tenant/onboarding', { schema: { response: responses({ 200: Steps }, [401, 403]) }, preHandler: app.requireTenantRole('read') }, async (req) => ({
    steps: await onboardingSteps(app.deps.db, req.auth!.tenant!.id),
  }));
};
