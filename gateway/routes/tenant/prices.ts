/**
 * Negotiation price rules (tenant API; money in KES cents):
 *  GET /api/tenant/prices → {rules: PriceRule[]}  (read)
 *  PUT /api/tenant/prices {product, listCents, floorCents, maxDiscountPct?, maxRounds?, stepCents, active?} → {rule}
 *      (prices); creates or replaces the product's rule; floor > list → 400
 *  GET /api/tenant/prices/offers → {offers: [...]} the negotiation log, newest first  (read)
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { priceOffers, priceRules } from '../../../core/db/schema/index.ts';
import { listOffers, listRules, upsertRule } from '../../../core/services/commerce/pricing.ts';
import { withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const Rule = Type.Object(
  {
    product: Type.String({ minLength: 1, maxLength: 200 }),
    listCents: Type.Integer({ minimum: 1 }),
    floorCents: Type.Integer({ minimum: 1 }),
    maxDiscountPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    maxRounds: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    stepCents: Type.Integer({ minimum: 1 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const PriceRule = rowSchema(priceRules, { omit: ['tenantId'], title: 'PriceRule' });
const PriceOffer = rowSchema(priceOffers, { omit: ['tenantId'], title: 'PriceOffer' });

export const tenantPriceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/api/tenant/prices',
    { schema: { response: withErrors({ 200: Type.Object({ rules: Type.Array(PriceRule) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ rules: await db.withTenant(req.auth!.tenant!.id, (tx) => listRules(tx)) }),
  );
  app.put(
    '/api/tenant/prices',
    { schema: { body: Rule, response: withErrors({ 200: Type.Object({ rule: PriceRule }) }) }, preHandler: app.requireTenantRole('prices') },
    async (req) => {
      const tenantId = req.auth!.tenant!.id;
      return { rule: await db.withTenant(tenantId, (tx) => upsertRule(tx, tenantId, req.body)) };
    },
  );
  app.get(
    '/api/tenant/prices/offers',
    { schema: { response: withErrors({ 200: Type.Object({ offers: Type.Array(PriceOffer) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ offers: await db.withTenant(req.auth!.tenant!.id, (tx) => listOffers(tx)) }),
  );
};
