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
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { SALES_LEAD_STAGES, salesLeads } from '../../../core/db/schema/index.ts';
import { advanceCommissions, leaderboard, listCommissions, repCommissionsByMonth } from '../../../core/services/platform/commissions.ts';
import { monthOf } from '../../../core/services/platform/months.ts';
import { createLead, listLeads, listReps, setLeadStage, setRepSettings } from '../../../core/services/platform/sales-team.ts';
import { AppError } from '../../../core/errors.ts';
import { DateOnly, IdParams, NoContent, Nullable, Uuid, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const Stage = Type.Union(SALES_LEAD_STAGES.map((s) => Type.Literal(s)));
const SalesLead = rowSchema(salesLeads, { title: 'SalesLead' });
/** commissions.ts LeaderboardRow (KES cents). */
const LeaderboardRow = Type.Object({
  repId: Type.String(),
  name: Nullable(Type.String()),
  email: Type.String(),
  payments: Type.Integer(),
  newTenants: Type.Integer(),
  revenueCents: Type.Integer(),
  commissionCents: Type.Integer(),
});
/** sales-team.ts RepSummary. */
const RepSummary = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  firstPaymentRateBp: Type.Integer(),
  recurringRateBp: Type.Integer(),
  territories: Type.Array(Type.String()),
  tenants: Type.Integer(),
  mrrCents: Type.Integer(),
  openLeads: Type.Integer(),
});
const CommissionMonth = Type.Object({ month: Type.String(), pendingCents: Type.Integer(), approvedCents: Type.Integer(), paidCents: Type.Integer(), count: Type.Integer() });
const Commission = Type.Object({
  id: Type.String(),
  repId: Type.String(),
  tenantId: Type.String(),
  tenantName: Type.String(),
  kind: Type.String(),
  rateBp: Type.Integer(),
  amountCents: Type.Integer(),
  paymentCents: Type.Integer(),
  month: DateOnly,
  status: Type.String(),
});
/** The rep id a caller is limited to: their own for sales, `wanted` (or everyone) for owner/admin. */
const repScope = (req: FastifyRequest, wanted?: string): string | undefined => (req.auth!.role === 'sales' ? req.auth!.sub : wanted);
const canManage = (req: FastifyRequest) => req.auth!.role === 'owner' || req.auth!.role === 'admin';

export const adminSalesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const platform = app.authenticate; // the /api/admin gate already refuses non-platform users
  const manage = app.requirePlatformRole('billing.write');
  const now = () => new Date(app.authClock.now());
  const onlyTeam = async (req: FastifyRequest) => {
    if (!canManage(req) && req.auth!.role !== 'sales') throw new AppError('forbidden', 'Sales team data is for owners, admins and reps');
  };

  app.get(
    '/api/admin/sales-performance',
    {
      schema: {
        querystring: Type.Object({ month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ month: DateOnly, leaderboard: Type.Array(LeaderboardRow) }) }),
      },
      preHandler: [platform, onlyTeam],
    },
    async (req) => {
      const month = req.query.month ? `${req.query.month}-01` : monthOf(now());
      return { month, leaderboard: await leaderboard(db, month, repScope(req)) };
    },
  );

  app.get(
    '/api/admin/sales/reps',
    { schema: { response: withErrors({ 200: Type.Object({ reps: Type.Array(RepSummary) }) }) }, preHandler: [platform, onlyTeam] },
    async (req) => ({ reps: await listReps(db, now(), repScope(req)) }),
  );

  app.patch(
    '/api/admin/sales/reps/:id',
    {
      schema: {
        params: IdParams,
        response: withErrors({ 204: NoContent }),
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
      await setRepSettings(db, req.params.id, req.body);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/sales/leads',
    {
      schema: { querystring: Type.Object({ stage: Type.Optional(Stage) }, { additionalProperties: false }), response: withErrors({ 200: Type.Object({ leads: Type.Array(SalesLead) }) }) },
      preHandler: [platform, onlyTeam],
    },
    async (req) => {
      const leads = await listLeads(db, repScope(req), 500);
      return { leads: req.query.stage ? leads.filter((l) => l.stage === req.query.stage) : leads };
    },
  );

  app.post(
    '/api/admin/sales/leads',
    {
      schema: {
        response: withErrors({ 201: Type.Object({ lead: SalesLead }) }),
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            phone: Type.Optional(Type.String({ maxLength: 32 })),
            industry: Type.Optional(Type.String({ maxLength: 60 })),
            notes: Type.Optional(Type.String({ maxLength: 2000 })),
            repId: Type.Optional(Uuid),
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

  app.patch(
    '/api/admin/sales/leads/:id',
    {
      schema: { params: IdParams, body: Type.Object({ stage: Stage }, { additionalProperties: false }), response: withErrors({ 200: Type.Object({ lead: SalesLead }) }) },
      preHandler: [platform, onlyTeam],
    },
    async (req) => ({ lead: await setLeadStage(db, req.params.id, req.body.stage, repScope(req)) }),
  );

  app.get(
    '/api/admin/commissions',
    {
      schema: {
        querystring: Type.Object({ repId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ months: Type.Array(CommissionMonth), commissions: Type.Array(Commission) }) }),
      },
      preHandler: [platform, onlyTeam],
    },
    async (req) => {
      const repId = repScope(req, req.query.repId);
      return { months: repId ? await repCommissionsByMonth(db, repId, 24) : [], commissions: await listCommissions(db, repId) };
    },
  );

  for (const action of ['approve', 'pay'] as const)
    app.post(
      `/api/admin/commissions/${action}`,
      {
        schema: {
          body: Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
          response: withErrors({ 200: Type.Object({ moved: Type.Array(Type.String(), { description: 'ids that moved' }) }) }),
        },
        preHandler: manage,
      },
      async (req) => ({ moved: await advanceCommissions(db, action, req.body.ids, now()) }),
    );
};
