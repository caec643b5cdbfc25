/**
 * Leads (tenant API; value in KES cents):
 *  GET   /api/tenant/leads?stage → {leads}  (read)
 *  PATCH /api/tenant/leads/:id {stage?, score?, valueCents?, notes?, followUpAt? (ISO|null), followUpMessage?} → {lead}
 *        (reply); a new followUpAt schedules the `lead_followup` job; unknown id → 404
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LEAD_STAGES, type LeadStage } from '../../../core/db/schema/index.ts';
import { followUpJobId, listLeads, updateLead } from '../../../core/services/commerce/leads.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParams } from './agent-schemas.ts';

const Stage = Type.Union(LEAD_STAGES.map((s) => Type.Literal(s)));
const Patch = Type.Object(
  {
    stage: Type.Optional(Stage),
    score: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    valueCents: Type.Optional(Type.Integer({ minimum: 0 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    followUpAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    followUpMessage: Type.Optional(Type.String({ maxLength: 600 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export async function tenantLeadRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue } = app.deps;
  app.get<{ Querystring: { stage?: LeadStage } }>(
    '/api/tenant/leads',
    { schema: { querystring: Type.Object({ stage: Type.Optional(Stage) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ leads: await db.withTenant(req.auth!.tenant!.id, (tx) => listLeads(tx, { stage: req.query.stage })) }),
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof Patch> }>(
    '/api/tenant/leads/:id',
    { schema: { params: IdParams, body: Patch }, preHandler: app.requireTenantRole('reply') },
    async (req) => {
      const tenantId = req.auth!.tenant!.id;
      const { followUpAt, ...rest } = req.body;
      const at = followUpAt === undefined ? undefined : followUpAt === null ? null : new Date(followUpAt);
      if (at && Number.isNaN(at.getTime())) throw new AppError('bad_request', 'followUpAt must be an ISO date-time');
      const lead = await db.withTenant(tenantId, (tx) => updateLead(tx, req.params.id, { ...(rest as object), followUpAt: at }));
      if (!lead) throw new AppError('not_found', 'No such lead');
      if (at && lead.followUpAt)
        await queue.enqueue('lead_followup', { tenantId, leadId: lead.id, dueAt: lead.followUpAt.toISOString() }, {
          jobId: followUpJobId(lead.id, lead.followUpAt),
          delayMs: Math.max(0, lead.followUpAt.getTime() - Date.now()),
        });
      return { lead };
    },
  );
}
