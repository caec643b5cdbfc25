/**
 * Campaigns (tenant API; broadcasts over SMS/WhatsApp, see core/services/commerce/campaigns.ts):
 *  GET  /api/tenant/campaigns → {campaigns}                                   (read)
 *  GET  /api/tenant/campaigns/:id → {campaign: {..., recipients: {status: n}}} (read)
 *  POST /api/tenant/campaigns {name, channelId, text | contentItemId, audience?: {lastActiveDays?, customerIds?}}
 *       → 201 {campaign} (settings)
 *  POST /api/tenant/campaigns/:id/send → {campaign, recipients} (settings); not a draft → 409
 *  POST /api/tenant/campaigns/:id/cancel → {campaign} (settings); drafts only, else 409
 * Unknown id (or another tenant's) → 404; malformed id/body → 400; viewer/staff → 403.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  cancelCampaign,
  createCampaign,
  enqueueCampaign,
  getCampaign,
  listCampaigns,
  MAX_CAMPAIGN_RECIPIENTS,
  MAX_CAMPAIGN_TEXT_CHARS,
  sendCampaignTx,
  type CampaignActor,
} from '../../../core/services/commerce/campaigns.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParams, UuidString } from './agent-schemas.ts';

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    channelId: UuidString,
    text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CAMPAIGN_TEXT_CHARS })),
    contentItemId: Type.Optional(UuidString),
    audience: Type.Optional(
      Type.Object(
        {
          lastActiveDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          customerIds: Type.Optional(Type.Array(UuidString, { minItems: 1, maxItems: MAX_CAMPAIGN_RECIPIENTS, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const actorOf = (req: FastifyRequest): CampaignActor => {
  const tenantUser = req.auth!.userType === 'tenant';
  return { type: tenantUser ? 'tenant_user' : 'platform_user', id: req.auth!.sub, tenantUserId: tenantUser ? req.auth!.sub : null, ip: req.ip };
};
const notFound = () => new AppError('not_found', 'No such campaign');

export async function tenantCampaignRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue } = app.deps;
  type WithId = { Params: Static<typeof IdParams> };

  app.get('/api/tenant/campaigns', { preHandler: app.requireTenantRole('read') }, async (req) => ({
    campaigns: await db.withTenant(req.auth!.tenant!.id, (tx) => listCampaigns(tx)),
  }));

  app.get<WithId>('/api/tenant/campaigns/:id', { schema: { params: IdParams }, preHandler: app.requireTenantRole('read') }, async (req) => {
    const campaign = await db.withTenant(req.auth!.tenant!.id, (tx) => getCampaign(tx, req.params.id));
    if (!campaign) throw notFound();
    return { campaign };
  });

  app.post<{ Body: Static<typeof Body> }>(
    '/api/tenant/campaigns',
    { schema: { body: Body }, preHandler: app.requireTenantRole('settings') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const campaign = await db.withTenant(tenantId, (tx) => createCampaign(tx, tenantId, req.body, actorOf(req)));
      return reply.status(201).send({ campaign });
    },
  );

  app.post<WithId>('/api/tenant/campaigns/:id/send', { schema: { params: IdParams }, preHandler: app.requireTenantRole('settings') }, async (req) => {
    const tenantId = req.auth!.tenant!.id;
    const sent = await db.withTenant(tenantId, (tx) => sendCampaignTx(tx, tenantId, req.params.id, actorOf(req)));
    if (!sent) throw notFound();
    const campaign = await enqueueCampaign({ db, queue }, tenantId, sent.campaign.id, sent.messageIds);
    return { campaign, recipients: sent.messageIds.length };
  });

  app.post<WithId>('/api/tenant/campaigns/:id/cancel', { schema: { params: IdParams }, preHandler: app.requireTenantRole('settings') }, async (req) => {
    const tenantId = req.auth!.tenant!.id;
    const campaign = await db.withTenant(tenantId, (tx) => cancelCampaign(tx, tenantId, req.params.id, actorOf(req)));
    if (!campaign) throw notFound();
    return { campaign };
  });
}
