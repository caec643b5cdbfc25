/**
 * Channels from the console (the list and WhatsApp linking are in channels.ts):
 *  POST   /api/tenant/channels one of
 *           {type:'sms', provider:'twilio', address:'+E164', accountSid, authToken}
 *           {type:'sms', provider:'africastalking', address, username, apiKey}
 *           {type:'whatsapp'}
 *         → 201 {channel, webhookUrl} — webhookUrl (null for WhatsApp) is shown once: for Africa's
 *         Talking it carries the secret token, of which only a digest is stored. 409 channel_exists
 *         when the address is taken.
 *  PATCH  /api/tenant/channels/:id {enabled?, credentials?} → {channel}; a disabled channel's
 *         webhooks answer 403 like an unknown number and its outbound messages fail unsent.
 *  DELETE /api/tenant/channels/:id → 204; 409 channel_in_use when it has conversations.
 * All `settings` (owner/admin), audited; credentials are encrypted as by `aizalo channel add` and
 * never returned.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addChannel, removeChannel, updateChannel } from '../../../core/services/setup/channel-admin.ts';
import { AppError } from '../../../core/errors.ts';
import { IdParam, Nullable, responses } from './console-schemas.ts';

const Secret = Type.String({ minLength: 1, maxLength: 200 });
const Create = Type.Union([
  Type.Object(
    {
      type: Type.Literal('sms'),
      provider: Type.Literal('twilio'),
      address: Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164 number' }),
      accountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
      authToken: Secret,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('sms'),
      provider: Type.Literal('africastalking'),
      address: Type.String({ pattern: '^\\+?[0-9]{3,15}$', description: 'short code or number' }),
      username: Secret,
      apiKey: Secret,
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('whatsapp') }, { additionalProperties: false }),
]);
const Patch = Type.Object(
  { enabled: Type.Optional(Type.Boolean()), credentials: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Secret, { maxProperties: 4 })) },
  { additionalProperties: false },
);
export const ChannelSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  provider: Type.String(),
  address: Type.String(),
  status: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Type.Unsafe<Date>({ type: 'string', format: 'date-time' }),
  link: Type.Optional(Type.Object({ status: Type.String(), reason: Nullable(Type.String()), at: Nullable(Type.String()) })),
});

export const tenantChannelAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, box, cfg } = app.deps;
  const actor = (req: { auth?: { sub: string }; ip: string }) => ({ type: 'tenant_user' as const, id: req.auth!.sub, ip: req.ip });

  app.post(
    '/api/tenant/channels',
    {
      schema: { body: Create, response: responses({ 201: Type.Object({ channel: ChannelSchema, webhookUrl: Nullable(Type.String()) }) }, [400, 401, 403, 409]) },
      preHandler: app.requireTenantRole('settings'),
    },
    async (req, reply) => reply.status(201).send(await addChannel(db, box, cfg.publicUrl, req.auth!.tenant!.id, req.body, actor(req))),
  );
  app.patch(
    '/api/tenant/channels/:id',
    { schema: { params: IdParam, body: Patch, response: responses({ 200: Type.Object({ channel: ChannelSchema }) }) }, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const channel = await updateChannel(db, box, req.auth!.tenant!.id, req.params.id, req.body, actor(req));
      if (!channel) throw new AppError('not_found', 'No such channel');
      return { channel };
    },
  );
  app.delete(
    '/api/tenant/channels/:id',
    { schema: { params: IdParam, response: responses({ 204: Type.Null() }, [400, 401, 403, 404, 409]) }, preHandler: app.requireTenantRole('settings') },
    async (req, reply) => {
      if (!(await removeChannel(db, req.auth!.tenant!.id, req.params.id, actor(req)))) throw new AppError('not_found', 'No such channel');
      return reply.status(204).send(null);
    },
  );
};
