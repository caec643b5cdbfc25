/**
 * Operational endpoints: GET /healthz (process up), GET /readyz (database and queue reachable;
 * 503 otherwise), GET /metrics (Prometheus text format, prom-client registry).
 */
import { sql } from 'drizzle-orm';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { queueDepth, registry } from '../../core/metrics.ts';

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Record(Type.String(), Type.String({ description: '"ok" or the failure message' })),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, queue } = app.deps;
  app.get('/healthz', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { schema: { response: { 200: Ready, 503: Ready } } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await db.withPlatform((tx) => tx.execute(sql`select 1`));
      checks.database = 'ok';
    } catch (err) {
      checks.database = (err as Error).message;
    }
    try {
      await queue.counts?.();
      checks.queue = 'ok';
    } catch (err) {
      checks.queue = (err as Error).message;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.status(ok ? 200 : 503).send({ status: ok ? ('ready' as const) : ('not_ready' as const), checks });
  });
  // Prometheus text, not part of the JSON API (left out of the OpenAPI document).
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    try {
      const counts = (await queue.counts?.()) ?? {};
      for (const [q, n] of Object.entries(counts)) queueDepth.set({ queue: q }, n);
    } catch {
      /* scrape still answers with what we have */
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
