/**
 * GET /metrics needs `Authorization: Bearer $METRICS_TOKEN` when METRICS_TOKEN is set (401
 * otherwise, compared in constant time); open when unset (zero-setup, a private network).
 */
import fp from 'fastify-plugin';
import { safeEqual } from '../../core/crypto.ts';
import { AppError } from '../../core/errors.ts';

export const metricsAuthPlugin = fp(
  async (app) => {
    const token = app.deps.cfg.security.metricsToken;
    if (!token) return;
    app.addHook('onRequest', async (req, reply) => {
      if (req.url !== '/metrics' && !req.url.startsWith('/metrics?')) return;
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !safeEqual(given, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthorized', 'Metrics need a bearer token');
      }
    });
  },
  { name: 'aizalo-metrics-auth' },
);
