/**
 * Knowledge base (tenant API):
 *  GET    /api/tenant/knowledge → {documents: [{id, title, format, status, chunkCount, error, createdAt}]}  (read)
 *  POST   /api/tenant/knowledge {title, format: text|markdown|faq, body (≤ 200 000 chars)} → 202 {document}
 *         (knowledge); stored `pending`, then the `kb_embed` job chunks + embeds it → `ready`
 *  GET    /api/tenant/knowledge/:id → {document, chunks: [{ord, content}]}  (read)
 *  DELETE /api/tenant/knowledge/:id → 204  (knowledge)
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createDocument, deleteDocument, getDocument, listChunks, listDocuments, type KbDocumentRow } from '../../../core/services/commerce/knowledge.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParams } from './agent-schemas.ts';

const Upload = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    format: Type.Union([Type.Literal('text'), Type.Literal('markdown'), Type.Literal('faq')]),
    body: Type.String({ minLength: 1, maxLength: 200_000 }),
  },
  { additionalProperties: false },
);
const view = ({ body: _body, tenantId: _t, ...d }: KbDocumentRow) => d;

export async function tenantKnowledgeRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue } = app.deps;
  app.get('/api/tenant/knowledge', { preHandler: app.requireTenantRole('read') }, async (req) => ({
    documents: (await db.withTenant(req.auth!.tenant!.id, (tx) => listDocuments(tx))).map(view),
  }));
  app.post<{ Body: Static<typeof Upload> }>(
    '/api/tenant/knowledge',
    { schema: { body: Upload }, bodyLimit: 512 * 1024, preHandler: app.requireTenantRole('knowledge') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const doc = await db.withTenant(tenantId, (tx) => createDocument(tx, tenantId, req.body));
      await queue.enqueue('kb_embed', { tenantId, documentId: doc.id }, { jobId: `kb-embed-${doc.id}` });
      return reply.status(202).send({ document: view(doc) });
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/tenant/knowledge/:id',
    { schema: { params: IdParams }, preHandler: app.requireTenantRole('read') },
    async (req) => {
      const out = await db.withTenant(req.auth!.tenant!.id, async (tx) => {
        const doc = await getDocument(tx, req.params.id);
        return doc ? { document: view(doc), chunks: await listChunks(tx, doc.id) } : undefined;
      });
      if (!out) throw new AppError('not_found', 'No such document');
      return out;
    },
  );
  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/tenant/knowledge/:id',
    { schema: { params: IdParams }, preHandler: app.requireTenantRole('knowledge') },
    async (req, reply) => {
      if (!(await db.withTenant(req.auth!.tenant!.id, (tx) => deleteDocument(tx, req.params.id)))) throw new AppError('not_found', 'No such document');
      return reply.status(204).send();
    },
  );
}
