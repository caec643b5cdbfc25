/**
 * Customers (tenant API, caller's tenant only):
 *  GET   /api/tenant/customers?q&limit&offset → {customers}                       (read)
 *  GET   /api/tenant/customers/:id → {customer, conversations}                    (read)
 *  PATCH /api/tenant/customers/:id {name?, languagePreference?, profile?} → {customer}  (reply; audited)
 * Malformed id → 400 invalid_id; unknown or another tenant's id → 404.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { customers } from '../../../core/db/schema/index.ts';
import { getCustomer, listCustomers, updateCustomer } from '../../../core/services/conversations/customers.ts';
import { DateTime, IdParams, Language, notFound, Owner, pagination, withErrors } from '../../schemas/common.ts';
import { rowSchema } from '../../schemas/rows.ts';

const ListQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...pagination(200) }, { additionalProperties: false });
const Patch = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
    languagePreference: Type.Optional(Language),
    profile: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const Customer = rowSchema(customers, { omit: ['tenantId'], title: 'Customer' });
const ConversationSummary = Type.Object({
  id: Type.String(),
  channelId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  owner: Owner,
  lastMessageAt: DateTime,
});

const tenantOf = (req: FastifyRequest) => req.auth!.tenant!.id;

export const tenantCustomerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const read = app.requireTenantRole('read');

  app.get(
    '/api/tenant/customers',
    { schema: { querystring: ListQuery, response: withErrors({ 200: Type.Object({ customers: Type.Array(Customer) }) }) }, preHandler: read },
    async (req) => ({ customers: await listCustomers(db, tenantOf(req), req.query) }),
  );

  app.get(
    '/api/tenant/customers/:id',
    { schema: { params: IdParams, response: withErrors({ 200: Type.Object({ customer: Customer, conversations: Type.Array(ConversationSummary) }) }) }, preHandler: read },
    async (req) => {
      const found = await getCustomer(db, tenantOf(req), req.params.id);
      if (!found) throw notFound('customer');
      return found;
    },
  );

  app.patch(
    '/api/tenant/customers/:id',
    { schema: { params: IdParams, body: Patch, response: withErrors({ 200: Type.Object({ customer: Customer }) }) }, preHandler: app.requireTenantRole('reply') },
    async (req) => {
      const customer = await updateCustomer(db, tenantOf(req), req.params.id, req.body, { type: 'tenant_user', id: req.auth!.sub, ip: req.ip });
      if (!customer) throw notFound('customer');
      return { customer };
    },
  );
};
