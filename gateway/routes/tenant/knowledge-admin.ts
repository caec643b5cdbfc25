/**
 * POST /api/tenant/knowledge/search {query} → {chunks: [{documentId, title, text, score}]} (read):
 * "try a question" — the chunks the agent's retrieval finds for this question (same embedder
 * and search as a live turn), best first. Listing, adding and deleting documents are in
 * knowledge.ts; indexing progress streams as `knowledge.progress` on GET /api/tenant/events.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import { responses } from './console-schemas.ts';

const Body = Type.Object({ query: Type.String({ minLength: 2, maxLength: 500 }), k: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }, { additionalProperties: false });
const Chunks = Type.Object({
  chunks: Type.Array(Type.Object({ documentId: Type.String(), title: Type.String(), text: Type.String(), score: Type.Number() })),
});

export const tenantKnowledgeAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/tenant/knowledge/search',
    { schema: { body: Body, response: responses({ 200: Chunks }, [400, 401, 403, 503]) }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const agent = app.deps.agentConsole;
      if (!agent) throw new AppError('agent_unavailable', 'The agent is not available in this server process');
      return { chunks: await agent.searchKnowledge(req.auth!.tenant!.id, req.body.query, req.body.k ?? 5) };
    },
  );
};
