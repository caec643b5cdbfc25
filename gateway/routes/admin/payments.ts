/**
 * Payments into platform_revenue (idempotent on `reference`).
 *  GET  /api/admin/payments?tenantId&limit → {payments}                    (billing.read: owner, admin)
 *  POST /api/admin/payments {tenantId, reference, amountCents, …} → 201 {payment, created} (200 on replay)
 *       (billing.write: owner, admin)
 *  POST /webhooks/payments — generic payment callback for payment adapters (M-Pesa, Stripe later):
 *       JSON body {reference, tenant (slug or id), amountCents, periodMonths?, paidAt?, method?, planId?},
 *       header `X-Aizalo-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed with
 *       `paymentCallbackSecret(SECRET_KEY)` (print it with `paymentCallbackSecret`). Bad or missing
 *       signature → 403 before anything is parsed or stored; unknown tenant → 404; bad body → 400.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import { isUuid } from '../../../core/uuid.ts';
import { platformRevenue } from '../../../core/db/schema/index.ts';
import { safeEqual } from '../../../core/crypto.ts';
import { listPayments, recordPayment } from '../../../core/services/platform/payments.ts';
import { findTenantBySlug } from '../../../core/services/tenancy/tenants.ts';
import { AppError } from '../../../core/errors.ts';
import { DateTimeInput, Uuid, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

/** The callback HMAC key (hex), derived from SECRET_KEY with HKDF-SHA256, purpose 'payment-callback'. */
export function paymentCallbackSecret(secretKey: string): string {
  return Buffer.from(hkdfSync('sha256', secretKey, 'aizalo', 'payment-callback', 32)).toString('hex');
}
/** `sha256=<hex>` signature of a raw body. */
export function signPaymentCallback(secretKey: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', paymentCallbackSecret(secretKey)).update(rawBody).digest('hex')}`;
}

const Money = Type.Integer({ minimum: 1, maximum: 1_000_000_000_00 });
const ManualPayment = Type.Object(
  {
    tenantId: Uuid,
    reference: Type.String({ minLength: 1, maxLength: 128 }),
    amountCents: Money,
    periodMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 36 })),
    paidAt: Type.Optional(DateTimeInput),
    planId: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
const Callback = Type.Object({
  reference: Type.String({ minLength: 1, maxLength: 128 }),
  tenant: Type.String({ minLength: 2, maxLength: 64 }),
  amountCents: Money,
  periodMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 36 })),
  paidAt: Type.Optional(Type.String({ maxLength: 40 })),
  method: Type.Optional(Type.Union([Type.Literal('mpesa'), Type.Literal('stripe'), Type.Literal('callback')])),
  planId: Type.Optional(Type.String({ maxLength: 40 })),
});
const ListQuery = Type.Object({ tenantId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false });
export const Payment = rowSchema(platformRevenue, { title: 'Payment' });
const Recorded = Type.Object({ payment: Payment, created: Type.Boolean() });
const CallbackAnswer = Type.Object({ paymentId: Type.String(), created: Type.Boolean() });

const date = (s?: string) => {
  if (!s) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new AppError('bad_request', 'paidAt must be an ISO date-time');
  return d;
};

export const adminPaymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, cfg } = app.deps;
  const billing = app.requirePlatformRole('billing.read');
  const billingWrite = app.requirePlatformRole('billing.write');

  app.get(
    '/api/admin/payments',
    { schema: { querystring: ListQuery, response: withErrors({ 200: Type.Object({ payments: Type.Array(Payment) }) }) }, preHandler: billing },
    async (req) => ({ payments: await listPayments(db, req.query) }),
  );

  app.post('/api/admin/payments', { schema: { body: ManualPayment, response: withErrors({ 200: Recorded, 201: Recorded }) }, preHandler: billingWrite }, async (req, reply) => {
    const b = req.body;
    const r = await recordPayment(db, { ...b, paidAt: date(b.paidAt), method: 'manual', recordedBy: req.auth!.sub }, new Date(app.authClock.now()));
    return reply.status(r.created ? 201 : 200).send(r);
  });

  // The callback's signature is over the exact bytes received, so this scope keeps the raw body.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));
    // The body is checked by hand after the signature (Value.Check below), so a bad signature is
    // always 403 whatever the body; the route's body schema is there for the document only.
    scope.setValidatorCompiler(() => (value) => ({ value }));
    scope.post(
      '/webhooks/payments',
      {
        schema: {
          description: 'Generic payment callback. Header `X-Aizalo-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.',
          headers: Type.Object({ 'x-aizalo-signature': Type.Optional(Type.String()) }),
          body: Callback,
          response: withErrors({ 200: CallbackAnswer, 201: CallbackAnswer }),
        },
        config: { rateLimitKind: 'webhook' },
      },
      async (req, reply) => {
      const received: unknown = req.body; // the raw string (content-type parser above)
      const raw = typeof received === 'string' ? received : '';
      const sig = req.headers['x-aizalo-signature'];
      if (typeof sig !== 'string' || !safeEqual(sig, signPaymentCallback(cfg.secretKey, raw)))
        throw new AppError('bad_signature', 'X-Aizalo-Signature does not match');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new AppError('bad_request', 'body must be JSON');
      }
      if (!Value.Check(Callback, body)) {
        const first = Value.Errors(Callback, body).First();
        throw new AppError('bad_request', `${first?.path || 'body'} ${first?.message ?? 'is invalid'}`);
      }
      const tenant = isUuid(body.tenant) ? { id: body.tenant } : await findTenantBySlug(db, body.tenant);
      if (!tenant) throw new AppError('unknown_tenant', `no tenant ${body.tenant}`);
      const r = await recordPayment(db, { tenantId: tenant.id, reference: body.reference, amountCents: body.amountCents, periodMonths: body.periodMonths, paidAt: date(body.paidAt), planId: body.planId, method: body.method ?? 'callback' });
      return reply.status(r.created ? 201 : 200).send({ paymentId: r.payment.id, created: r.created });
      },
    );
  });
};
