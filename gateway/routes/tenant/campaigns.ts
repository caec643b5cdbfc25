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
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { campaigns } from '../../../core/db/schema/index.ts';
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
import { IdParams, notFound, Uuid, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    channelId: Uuid,
    text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CAMPAIGN_TEXT_CHARS })),
    contentItemId: Type.Optional(Uuid),
    audience: Type.Optional(
      Type.Object(
        {
          lastActiveDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          customerIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MAX_CAMPAIGN_RECIPIENTS, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const Campaign = rowSchema(campaigns, { omit: ['tenantId'], title: 'Campaign' });
const CampaignWithRecipients = rowSchema(campaigns, {
  omit: ['tenantId'],
  extra: { recipients: Type.Record(Type.String(), Type.Integer(), { description: 'delivery status → recipients' }) },
});
const One = Type.Object({ campaign: Campaign });

const actorOf = (req: FastifyRequest): CampaignActor => {
  const tenantUser = req.auth!.userType === 'tenant';
  return { type: tenantUser ? 'tenant_user' : 'platform_user', id: req.auth!.sub, tenantUserId: tenantUser ? req.auth!.sub : null, ip: req.ip };
};

export const tenantCampaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, queue } = app.deps;
  const settings = app.requireTenantRole('settings');

  app.get(
    '/api/tenant/campaigns',
    { schema: { response: withErrors({ 200: Type.Object({ campaigns: Type.Array(Campaign) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ campaigns: await db.withTenant(req.auth!.tenant!.id, (tx) => listCampaigns(tx)) }),
  );

  app.get(
    '/api/tenant/campaigns/:id',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ campaign: CampaignWithRecipients }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const campaign = await db.withTenant(req.auth!.tenant!.id, (tx) => getCampaign(tx, req.params.id));
      if (!campaign) throw notFound('campaign');
      return { campaign };
    },
  );

  app.post('/api/tenant/campaigns', { schema: { body: Body, response: withErrors({ 201: One }) }, preHandler: settings }, async (req, reply) => {
    const tenantId = req.auth!.tenant!.id;
    const campaign = await db.withTenant(tenantId, (tx) => createCampaign(tx, tenantId, req.body, actorOf(req)));
    return reply.status(201).send({ campaign });
  });

  app.post(
    '/api/tenant/campaigns/:id/send',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ campaign: Campaign, recipients: Type.Integer() }) }) }, preHandler: settings },
    async (req) => {
      const tenantId = req.auth!.tenant!.id;
      const sent = await db.withTenant(tenantId, (tx) => sendCampaignTx(tx, tenantId, req.params.id, actorOf(req)));
      if (!sent) throw notFound('campaign');
      const campaign = await enqueueCampaign({ db, queue }, tenantId, sent.campaign.id, sent.messageIds);
      return { campaign, recipients: sent.messageIds.length };
    },
  );

  app.post('/api/tenant/campaigns/:id/cancel', { schema: { params: IdParams, response: withErrors({ 200: One }) }, preHandler: settings }, async (req) => {
    const tenantId = req.auth!.tenant!.id;
    const campaign = await db.withTenant(tenantId, (tx) => cancelCampaign(tx, tenantId, req.params.id, actorOf(req)));
    if (!campaign) throw notFound('campaign');
    return { campaign };
  });
};
