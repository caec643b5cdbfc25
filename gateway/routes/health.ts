/**
 * Operational endpoints: GET /healthz (process up), GET /readyz (database and queue reachable;
 * 503 otherwise), GET /metrics (Prometheus text format, prom-client registry).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { queueDepth, registry } from '../../core/metrics.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue } = app.deps;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
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
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
  });
  app.get('/metrics', async (_req, reply) => {
    try {
      const counts = (await queue.counts?.()) ?? {};
      for (const [q, n] of Object.entries(counts)) queueDepth.set({ queue: q }, n);
    } catch {
      /* scrape still answers with what we have */
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
