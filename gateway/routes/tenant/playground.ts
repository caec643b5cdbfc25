/**
 * POST /api/tenant/playground {message, history?: [{role: customer|agent, text}]} →
 * {reply, toolCalls: [{name, args, result, dryRun: true}], provider}  (settings: owner/admin test
 * their agent). One turn of the tenant's real agent (same prompt and tools) with the tools in
 * dry-run mode (agents/tools/dry-run.ts): it shows what would be booked or offered and writes
 * nothing. Audited as `playground.run`, which ticks the checklist's "test" step.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../../../core/services/tenancy/audit.ts';
import { AppError } from '../../../core/errors.ts';
import { responses } from './console-schemas.ts';

const Body = Type.Object(
  {
    message: Type.String({ minLength: 1, maxLength: 2000 }),
    history: Type.Optional(
      Type.Array(Type.Object({ role: Type.Union([Type.Literal('customer'), Type.Literal('agent')]), text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), { maxItems: 40 }),
    ),
  },
  { additionalProperties: false },
);
const Answer = Type.Object({
  reply: Type.String(),
  toolCalls: Type.Array(Type.Object({ name: Type.String(), args: Type.Record(Type.String(), Type.Unknown()), result: Type.Record(Type.String(), Type.Unknown()), dryRun: Type.Literal(true) })),
  provider: Type.String(),
});

export const tenantPlaygroundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/tenant/playground',
    { schema: { body: Body, response: responses({ 200: Answer }, [400, 401, 403, 503]) }, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const agent = app.deps.agentConsole;
      if (!agent) throw new AppError('agent_unavailable', 'The agent is not available in this server process');
      const tenantId = req.auth!.tenant!.id;
      const out = await agent.playground(tenantId, { message: req.body.message, history: req.body.history ?? [] });
      await audit(app.deps.db, { tenantId, actorType: 'tenant_user', actorId: req.auth!.sub, ip: req.ip, action: 'playground.run', data: { tools: out.toolCalls.map((c) => c.name), provider: out.provider } });
      return out;
    },
  );
};
