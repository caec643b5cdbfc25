/**
 * Negotiation price rules (tenant API; money in KES cents):
 *  GET /api/tenant/prices → {rules: PriceRule[]}  (read)
 *  PUT /api/tenant/prices {product, listCents, floorCents, maxDiscountPct? (null = none), maxRounds?, stepCents, active?} → {rule}
 *      (prices); creates or replaces the product's rule; floor > list → 400
 *  GET /api/tenant/prices/offers?item= → {offers: [...]} the negotiation log, newest first (item: a rule id or
 *      product name; without it every item)  (read)
 */
import { Type, type Static } from '@sinclair/typebox';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { priceOffers } from '../../../core/db/schema/index.ts';
import { findRule, listRules, upsertRule } from '../../../core/services/commerce/pricing.ts';

const OffersQuery = Type.Object({ item: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false });

const Rule = Type.Object(
  {
    product: Type.String({ minLength: 1, maxLength: 200 }),
    listCents: Type.Integer({ minimum: 1 }),
    floorCents: Type.Integer({ minimum: 1 }),
    maxDiscountPct: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()])),
    maxRounds: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    stepCents: Type.Integer({ minimum: 1 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export async function tenantPriceRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  app.get('/api/tenant/prices', { preHandler: app.requireTenantRole('read') }, async (req) => ({
    rules: await db.withTenant(req.auth!.tenant!.id, (tx) => listRules(tx)),
  }));
  app.put<{ Body: Static<typeof Rule> }>('/api/tenant/prices', { schema: { body: Rule }, preHandler: app.requireTenantRole('prices') }, async (req) => {
    const tenantId = req.auth!.tenant!.id;
    return { rule: await db.withTenant(tenantId, (tx) => upsertRule(tx, tenantId, req.body)) };
  });
  app.get<{ Querystring: Static<typeof OffersQuery> }>('/api/tenant/prices/offers', { schema: { querystring: OffersQuery }, preHandler: app.requireTenantRole('read') }, async (req) => ({
    offers: await db.withTenant(req.auth!.tenant!.id, async (tx) => {
      const item = req.query.item;
      const rule = item ? await findRule(tx, item) : undefined;
      if (item && !rule) return [];
      const q = tx.select().from(priceOffers);
      return (rule ? q.where(eq(priceOffers.ruleId, rule.id)) : q).orderBy(desc(priceOffers.id)).limit(500);
    }),
  }));
}
