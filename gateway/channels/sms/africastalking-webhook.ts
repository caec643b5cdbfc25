/**
 * POST /webhooks/africastalking/sms?token=SECRET — Africa's Talking inbound SMS callback
 * (form fields `from`, `to`, `text`, `date`, `id`, `linkId`; source: Africa's Talking SMS docs,
 * "Receiving messages"). AT does not sign callbacks, so each channel gets a secret token in its
 * URL (stored hashed). Missing/wrong token → 403 before the body is even looked at (charged to the
 * sender address's failure bucket: 429 when over); then the channel's own rate-limit bucket (429);
 * malformed → 400; `to` not this channel's short code → 404. None of these stores anything.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { findChannelByWebhookToken, type ChannelRow } from '../../../core/services/tenancy/channels.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import { AppError } from '../../../core/errors.ts';
import { handlePlatformInbound } from '../platform-inbound.ts';

const AtInbound = Type.Object(
  {
    from: Type.String({ minLength: 3, maxLength: 32 }),
    to: Type.String({ minLength: 2, maxLength: 32 }),
    text: Type.String({ maxLength: 2000 }),
    id: Type.String({ minLength: 1, maxLength: 128 }),
    date: Type.Optional(Type.String()),
    linkId: Type.Optional(Type.String()),
  },
  { additionalProperties: Type.String() },
);
type AtInbound = Static<typeof AtInbound>;

declare module 'fastify' {
  interface FastifyRequest {
    atChannel?: ChannelRow;
  }
}

export async function africasTalkingWebhook(app: FastifyInstance): Promise<void> {
  // Form bodies are parsed in this webhook's own scope only: the /api routes take JSON alone.
  await app.register(formbody);
  const { db, queue } = app.deps;
  app.post<{ Body: AtInbound; Querystring: { token?: string } }>(
    '/webhooks/africastalking/sms',
    {
      schema: { body: AtInbound },
      bodyLimit: 64 * 1024,
      preValidation: async (req, reply) => {
        const token = req.query.token;
        const channel = typeof token === 'string' && token.length >= 16 ? await findChannelByWebhookToken(db, token) : undefined;
        if (!channel || channel.provider !== 'africastalking')
          throw await app.webhookLimits.failed(req, reply, new AppError('bad_token', 'missing or wrong webhook token'));
        await app.webhookLimits.tenant(req, reply, `at:${channel.id}`);
        req.atChannel = channel;
      },
    },
    async (req, reply) => {
      const channel = req.atChannel!;
      const body = req.body;
      if (body.to !== channel.address) throw new AppError('unknown_destination', `this webhook is not for ${body.to}`);
      if (!channel.tenantId) {
        await handlePlatformInbound({ db, queue }, { channelId: channel.id, from: body.from, externalId: body.id, text: body.text });
        return reply.status(200).send({ status: 'received' });
      }
      const receivedAt = body.date && !Number.isNaN(Date.parse(body.date)) ? new Date(body.date) : new Date();
      await ingestInbound({ db, queue }, {
        tenantId: channel.tenantId,
        channelId: channel.id,
        channel: 'sms',
        from: body.from,
        externalId: body.id,
        text: body.text,
        receivedAt,
      });
      return reply.status(200).send({ status: 'received' });
    },
  );
}
