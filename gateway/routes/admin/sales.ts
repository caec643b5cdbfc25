/**
 * The sales team (platform API). Owners and admins see everyone; a sales rep sees only their own
 * row, tenants, leads and commissions (other reps' rows read as not found).
 *  GET   /api/admin/sales-performance?month=YYYY-MM → {month, leaderboard}
 *  GET   /api/admin/sales/reps → {reps}
 *  PATCH /api/admin/sales/reps/:id {firstPaymentRateBp?, recurringRateBp?, territories?} → 204  (billing.write: owner, admin)
 *  GET   /api/admin/sales/leads?stage → {leads};  POST /api/admin/sales/leads {name, phone?, industry?, notes?, repId?} → 201 {lead}
 *  PATCH /api/admin/sales/leads/:id {stage} → {lead}   (new → contacted → demo → negotiating → won / lost)
 *  GET   /api/admin/commissions?repId → {months, commissions}
 *  POST  /api/admin/commissions/approve|pay {ids} → {moved}                                      (billing.write)
 */
import { Type } from '@sinclair/typebox';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../../core/db/client.ts';
import { commissions, platformRevenue, SALES_LEAD_STAGES, tenants } from '../../../core/db/schema/index.ts';
import { advanceCommissions, leaderboard, repCommissionsByMonth } from '../../../core/services/platform/commissions.ts';
import { monthOf } from '../../../core/services/platform/months.ts';
import { createLead, listLeads, listReps, setLeadStage, setRepSettings } from '../../../core/services/platform/sales-team.ts';
import { AppError } from '../../../core/errors.ts';

const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Stage = Type.Union(SALES_LEAD_STAGES.map((s) => Type.Literal(s)));
const uuid = (v: string) => {
  if (!isUuid(v)) throw new AppError('invalid_id', 'id must be a UUID');
  return v;
};
/** The rep id a caller is limited to: their own for sales, `wanted` (or everyone) for owner/admin. */
const repScope = (req: FastifyRequest, wanted?: string): string | undefined => (req.auth!.role === 'sales' ? req.auth!.sub : wanted);
const canManage = (req: FastifyRequest) => req.auth!.role === 'owner' || req.auth!.role === 'admin';

export async function adminSalesRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const platform = app.authenticate; // the /api/admin gate already refuses non-platform users
  const manage = app.requirePlatformRole('billing.write');
  const now = () => new Date(app.authClock.now());
  const onlyTeam = async (req: FastifyRequest) => {
    if (!canManage(req) && req.auth!.role !== 'sales') throw new AppError('forbidden', 'Sales team data is for owners, admins and reps');
  };

  app.get<{ Querystring: { month?: string } }>(
    '/api/admin/sales-performance',
    { schema: { querystring: Type.Object({ month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) }, { additionalProperties: false }) }, preHandler: [platform, onlyTeam] },
    async (req) => {
      const month = req.query.month ? `${req.query.month}-01` : monthOf(now());
      return { month, leaderboard: await leaderboard(db, month, repScope(req)) };
    },
  );

  app.get('/api/admin/sales/reps', { preHandler: [platform, onlyTeam] }, async (req) => ({ reps: await listReps(db, now(), repScope(req)) }));

  app.patch<{ Params: { id: string }; Body: { firstPaymentRateBp?: number; recurringRateBp?: number; territories?: string[] } }>(
    '/api/admin/sales/reps/:id',
    {
      schema: {
        params: Id,
        body: Type.Object(
          {
            firstPaymentRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
            recurringRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
            territories: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
      },
      preHandler: manage,
    },
    async (req, reply) => {
      await setRepSettings(db, uuid(req.params.id), req.body);
      return reply.status(204).send();
    },
  );

  app.get<{ Querystring: { stage?: string } }>(
    '/api/admin/sales/leads',
    { schema: { querystring: Type.Object({ stage: Type.Optional(Stage) }, { additionalProperties: false }) }, preHandler: [platform, onlyTeam] },
    async (req) => {
      const leads = await listLeads(db, repScope(req), 500);
      return { leads: req.query.stage ? leads.filter((l) => l.stage === req.query.stage) : leads };
    },
  );

  app.post<{ Body: { name: string; phone?: string; industry?: string; notes?: string; repId?: string } }>(
    '/api/admin/sales/leads',
    {
      schema: {
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            phone: Type.Optional(Type.String({ maxLength: 32 })),
            industry: Type.Optional(Type.String({ maxLength: 60 })),
            notes: Type.Optional(Type.String({ maxLength: 2000 })),
            repId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
      },
      preHandler: [platform, onlyTeam],
    },
    async (req, reply) => {
      const lead = await createLead(db, { ...req.body, repId: repScope(req, req.body.repId) ?? null });
      return reply.status(201).send({ lead });
    },
  );

  app.patch<{ Params: { id: string }; Body: { stage: string } }>(
    '/api/admin/sales/leads/:id',
    { schema: { params: Id, body: Type.Object({ stage: Stage }, { additionalProperties: false }) }, preHandler: [platform, onlyTeam] },
    async (req) => ({ lead: await setLeadStage(db, uuid(req.params.id), req.body.stage, repScope(req)) }),
  );

  app.get<{ Querystring: { repId?: string } }>(
    '/api/admin/commissions',
    { schema: { querystring: Type.Object({ repId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }) }, preHandler: [platform, onlyTeam] },
    async (req) => {
      const repId = repScope(req, req.query.repId);
      const rows = await db.withPlatform((tx) =>
        tx
          .select({
            id: commissions.id,
            repId: commissions.repId,
            tenantId: commissions.tenantId,
            tenantName: tenants.name,
            kind: commissions.kind,
            rateBp: commissions.rateBp,
            amountCents: commissions.amountCents,
            paymentCents: platformRevenue.amountCents,
            month: commissions.month,
            status: commissions.status,
          })
          .from(commissions)
          .innerJoin(tenants, eq(tenants.id, commissions.tenantId))
          .innerJoin(platformRevenue, eq(platformRevenue.id, commissions.paymentId))
          .where(and(repId ? eq(commissions.repId, repId) : undefined))
          .orderBy(desc(commissions.month), desc(commissions.createdAt))
          .limit(500),
      );
      return { months: repId ? await repCommissionsByMonth(db, repId, 24) : [], commissions: rows };
    },
  );

  for (const action of ['approve', 'pay'] as const)
    app.post<{ Body: { ids: string[] } }>(
      `/api/admin/commissions/${action}`,
      { schema: { body: Type.Object({ ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }) }, preHandler: manage },
      async (req) => ({ moved: await advanceCommissions(db, action, req.body.ids, now()) }),
    );
}
