/**
 * Knowledge base (tenant API):
 *  GET    /api/tenant/knowledge → {documents: [{id, title, format, status, chunkCount, error, createdAt, updatedAt}]}  (read)
 *  POST   /api/tenant/knowledge {title, format: text|markdown|faq, body (≤ 200 000 chars)} → 202 {document}
 *         (knowledge); stored `pending`, then the `kb_embed` job chunks + embeds it → `ready`
 *  GET    /api/tenant/knowledge/:id → {document, chunks: [{ord, content}]}  (read)
 *  DELETE /api/tenant/knowledge/:id → 204  (knowledge)
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { kbDocuments } from '../../../core/db/schema/index.ts';
import { createDocument, deleteDocument, getDocument, listChunks, listDocuments, type KbDocumentRow } from '../../../core/services/commerce/knowledge.ts';
import { IdParams, NoContent, notFound, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const Upload = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    format: Type.Union([Type.Literal('text'), Type.Literal('markdown'), Type.Literal('faq')]),
    body: Type.String({ minLength: 1, maxLength: 200_000 }),
  },
  { additionalProperties: false },
);
/** A document without its body (GET …/:id lists the chunks). */
const KbDocument = rowSchema(kbDocuments, { omit: ['tenantId', 'body'], title: 'KnowledgeDocument' });
const view = ({ body: _body, tenantId: _t, ...d }: KbDocumentRow) => d;

export const tenantKnowledgeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, queue } = app.deps;
  app.get(
    '/api/tenant/knowledge',
    { schema: { response: withErrors({ 200: Type.Object({ documents: Type.Array(KbDocument) }) }) }, preHandler: app.requireTenantRole('read') },
    async (req) => ({ documents: (await db.withTenant(req.auth!.tenant!.id, (tx) => listDocuments(tx))).map(view) }),
  );
  app.post(
    '/api/tenant/knowledge',
    { schema: { body: Upload, response: withErrors({ 202: Type.Object({ document: KbDocument }) }) }, bodyLimit: 512 * 1024, preHandler: app.requireTenantRole('knowledge') },
    async (req, reply) => {
      const tenantId = req.auth!.tenant!.id;
      const doc = await db.withTenant(tenantId, (tx) => createDocument(tx, tenantId, req.body));
      await queue.enqueue('kb_embed', { tenantId, documentId: doc.id }, { jobId: `kb-embed-${doc.id}` });
      return reply.status(202).send({ document: view(doc) });
    },
  );
  app.get(
    '/api/tenant/knowledge/:id',
    {
      schema: { params: IdParams, response: withErrors({ 200: Type.Object({ document: KbDocument, chunks: Type.Array(Type.Object({ ord: Type.Integer(), content: Type.String() })) }) }) },
      preHandler: app.requireTenantRole('read'),
    },
    async (req) => {
      const out = await db.withTenant(req.auth!.tenant!.id, async (tx) => {
        const doc = await getDocument(tx, req.params.id);
        return doc ? { document: view(doc), chunks: await listChunks(tx, doc.id) } : undefined;
      });
      if (!out) throw notFound('document');
      return out;
    },
  );
  app.delete(
    '/api/tenant/knowledge/:id',
    { schema: { params: IdParams, response: withErrors({ 204: NoContent }) }, preHandler: app.requireTenantRole('knowledge') },
    async (req, reply) => {
      if (!(await db.withTenant(req.auth!.tenant!.id, (tx) => deleteDocument(tx, req.params.id)))) throw notFound('document');
      return reply.status(204).send();
    },
  );
};
