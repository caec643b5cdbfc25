/**
 * The Fastify app: shared plugins first (websocket, security headers, request guards), then our
 * error shape, then routes. Form bodies are parsed only inside the SMS webhooks' own scopes. `buildApp` does not listen; the runtime does (tests use `app.inject` or listen on 0).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { GatewayDeps } from './deps.ts';
import { registerErrorHandler } from './errors.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { healthRoutes } from './routes/health.ts';
import { authPlugin } from './plugins/auth.ts';
import { rateLimitPlugin } from './plugins/rate-limits.ts';
import { requestGuardsPlugin, requestId } from './plugins/request-guards.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { metricsAuthPlugin } from './plugins/metrics-auth.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { authRoutes } from './routes/auth.ts';
import { tenantCustomerRoutes } from './routes/tenant/customers.ts';
import { tenantSettingsRoutes } from './routes/tenant/settings.ts';
import { tenantResourceRoutes } from './routes/tenant/resources.ts';
import { tenantBookingRoutes } from './routes/tenant/bookings.ts';
import { tenantKnowledgeRoutes } from './routes/tenant/knowledge.ts';
import { tenantPriceRoutes } from './routes/tenant/prices.ts';
import { tenantContentRoutes } from './routes/tenant/content.ts';
import { tenantLeadRoutes } from './routes/tenant/leads.ts';
import { tenantChannelRoutes } from './routes/tenant/channels.ts';
import { tenantAnalyticsRoutes } from './routes/tenant/analytics.ts';
import { tenantCampaignRoutes } from './routes/tenant/campaigns.ts';
import { adminTenantRoutes } from './routes/admin/tenants.ts';
import { adminLlmUsageRoutes } from './routes/admin/llm-usage.ts';
import { twilioWebhook } from './channels/sms/twilio-webhook.ts';
import { africasTalkingWebhook } from './channels/sms/africastalking-webhook.ts';
import { webchatRoutes } from './channels/webchat/webchat-routes.ts';
import { conversationActionRoutes } from './routes/tenant/conversation-actions.ts';
import { inboxRoutes } from './routes/tenant/inbox.ts';
import { tenantEventRoutes } from './routes/tenant/events.ts';
import { adminWebInboxRoutes } from './routes/admin-web-inbox.ts';
import { adminOverviewRoutes } from './routes/admin/overview.ts';
import { adminTenantBillingRoutes } from './routes/admin/tenants-billing.ts';
import { adminPaymentRoutes } from './routes/admin/payments.ts';
import { adminSalesRoutes } from './routes/admin/sales.ts';
import { adminWebRoutes } from './routes/admin-web.ts';
import { webAssetRoutes } from './routes/web-assets.ts';

/** The app with the TypeBox type provider: route schemas type params, query, body and replies. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

const logRequest = (req: { method?: string; url?: string; ip?: string }) => ({
  method: req.method,
  url: req.url?.replace(/([?&]visitor=)[^&]*/, '$1[redacted]'),
  remoteAddress: req.ip,
});

export async function buildApp(deps: GatewayDeps): Promise<App> {
  const app = Fastify({
    // The web-chat socket URL carries the visitor's secret: request logs show it redacted.
    loggerInstance: deps.log.child({ component: 'gateway' }, { serializers: { req: logRequest } }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Fastify accepts a hop count at run time (see its `trustProxy` docs); its types omit numbers.
    trustProxy: deps.cfg.trustProxy as boolean | string[],
    genReqId: requestId,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('deps', deps);
  registerErrorHandler(app);
  // Before any route: the document is built from the routes registered after it.
  await app.register(openApiPlugin);
  // Form bodies are parsed only inside the SMS webhooks' own scopes: /api takes JSON alone.
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  await app.register(securityHeadersPlugin);
  await app.register(requestGuardsPlugin);
  await app.register(metricsAuthPlugin);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(sessionRoutes);
  await app.register(tenantCustomerRoutes);
  await app.register(tenantSettingsRoutes);
  await app.register(tenantResourceRoutes);
  await app.register(tenantBookingRoutes);
  await app.register(tenantKnowledgeRoutes);
  await app.register(tenantPriceRoutes);
  await app.register(tenantContentRoutes);
  await app.register(tenantLeadRoutes);
  await app.register(tenantChannelRoutes);
  await app.register(tenantAnalyticsRoutes);
  await app.register(tenantCampaignRoutes);
  await app.register(adminTenantRoutes);
  await app.register(adminLlmUsageRoutes);
  await app.register(twilioWebhook);
  await app.register(africasTalkingWebhook);
  await app.register(webchatRoutes);
  await app.register(inboxRoutes);
  await app.register(conversationActionRoutes);
  await app.register(tenantEventRoutes);
  await app.register(adminWebInboxRoutes);
  await app.register(adminOverviewRoutes);
  await app.register(adminTenantBillingRoutes);
  await app.register(adminPaymentRoutes);
  await app.register(adminSalesRoutes);
  await app.register(adminWebRoutes);
  await app.register(webAssetRoutes);
  return app;
}
