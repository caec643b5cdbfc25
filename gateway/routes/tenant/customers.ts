/**
 * Customers (tenant API, caller's tenant only):
 *  GET   /api/tenant/customers?q&limit&offset → {customers}                       (read)
 *  GET   /api/tenant/customers/:id → {customer, conversations}                    (read)
 *  PATCH /api/tenant/customers/:id {name?, languagePreference?, profile?} → {customer}  (reply; audited)
 * Malformed id → 400; unknown or another tenant's id → 404.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidIdError, isUuid } from '../../../core/db/client.ts';
import { getCustomer, listCustomers, updateCustomer, type CustomerPatch } from '../../../core/services/conversations/customers.ts';
import { AppError } from '../../../core/errors.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
const Patch = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
    languagePreference: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('sw'), Type.Literal('sheng')])),
    profile: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** @throws InvalidIdError (400) for a malformed id. */
export function uuidParam(id: string): string {
  if (!isUuid(id)) throw new InvalidIdError(`invalid id: ${String(id).slice(0, 64)}`);
  return id;
}
const tenantOf = (req: FastifyRequest) => req.auth!.tenant!.id;
const notFound = () => new AppError('not_found', 'No such customer');

export async function tenantCustomerRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const read = app.requireTenantRole('read');

  app.get<{ Querystring: { q?: string; limit?: number; offset?: number } }>(
    '/api/tenant/customers',
    { schema: { querystring: ListQuery }, preHandler: read },
    async (req) => ({ customers: await listCustomers(db, tenantOf(req), req.query) }),
  );

  app.get<{ Params: { id: string } }>('/api/tenant/customers/:id', { schema: { params: Params }, preHandler: read }, async (req) => {
    const found = await getCustomer(db, tenantOf(req), uuidParam(req.params.id));
    if (!found) throw notFound();
    return found;
  });

  app.patch<{ Params: { id: string }; Body: CustomerPatch }>(
    '/api/tenant/customers/:id',
    { schema: { params: Params, body: Patch }, preHandler: app.requireTenantRole('reply') },
    async (req) => {
      const customer = await updateCustomer(db, tenantOf(req), uuidParam(req.params.id), req.body, { type: 'tenant_user', id: req.auth!.sub, ip: req.ip });
      if (!customer) throw notFound();
      return { customer };
    },
  );
}
