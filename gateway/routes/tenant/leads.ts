/**
 * Leads (tenant API; value in KES cents):
 *  GET   /api/tenant/leads?stage → {leads}  (read)
 *  PATCH /api/tenant/leads/:id {stage?, score?, valueCents?, notes?, followUpAt? (ISO|null), followUpMessage?} → {lead}
 *        (reply); a new followUpAt schedules the `lead_followup` job; unknown id → 404
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LEAD_STAGES, leads } from '../../../core/db/schema/index.ts';
import { followUpJobId, listLeads, updateLead } from '../../../core/services/commerce/leads.ts';
import { DateTimeInput, IdParams, notFound, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const Stage = Type.Union(LEAD_STAGES.map((s) => Type.Literal(s)));
const Patch = Type.Object(
  {
    stage: Type.Optional(Stage),
    score: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    valueCents: Type.Optional(Type.Integer({ minimum: 0 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    followUpAt: Type.Optional(Type.Union([DateTimeInput, Type.Null()])),
    followUpMessage: Type.Optional(Type.String({ maxLength: 600 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const Lead = rowSchema(leads, { omit: ['tenantId'], title: 'Lead' });

export const tenantLeadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, queue } = app.deps;
  app.get(
    '/api/tenant/leads',
    { schema: { querystring: Type.Object({ stage: Type.Optional(Stage) }), response: withErrors({ 200: Type.Object({ leads: Type.Array(Lead) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ leads: await db.withTenant(req.auth!.tenant!.id, (tx) => listLeads(tx, { stage: req.query.stage })) }),
  );
  app.patch(
    '/api/tenant/leads/:id',
    { schema: { params: IdParams, body: Patch, response: withErrors({ 200: Type.Object({ lead: Lead }) }) }, preHandler: app.requireTenantRole('reply') },
    async (req) => {
      const tenantId = req.auth!.tenant!.id;
      const { followUpAt, ...rest } = req.body;
      const at = followUpAt === undefined ? undefined : followUpAt === null ? null : new Date(followUpAt);
      const lead = await db.withTenant(tenantId, (tx) => updateLead(tx, req.params.id, { ...rest, followUpAt: at }));
      if (!lead) throw notFound('lead');
      if (at && lead.followUpAt)
        await queue.enqueue('lead_followup', { tenantId, leadId: lead.id, dueAt: lead.followUpAt.toISOString() }, {
          jobId: followUpJobId(lead.id, lead.followUpAt),
          delayMs: Math.max(0, lead.followUpAt.getTime() - Date.now()),
        });
      return { lead };
    },
  );
};
