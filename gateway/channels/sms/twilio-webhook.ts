/**
 * POST /webhooks/twilio/sms — Twilio inbound SMS (form-encoded; fields per Twilio's
 * "Messaging webhook request" docs: MessageSid, From, To, Body, NumMedia, …).
 * Order of checks: malformed → 400, unknown `To` → 404, bad signature → 403; none stores
 * anything. Then the one ingest path; answers 200 with empty TwiML (the reply goes out later via
 * the REST API, so a slow model never times out Twilio's webhook).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { channelCredentials, findChannelByAddress, type TwilioCredentials } from '../../../core/services/tenancy/channels.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import { AppError } from '../../../core/errors.ts';
import { handlePlatformInbound } from '../platform-inbound.ts';
import { verifyTwilioSignature } from './twilio-signature.ts';

const TwilioInbound = Type.Object(
  {
    MessageSid: Type.String({ minLength: 10, maxLength: 64, pattern: '^[A-Za-z0-9]+$' }),
    From: Type.String({ minLength: 3, maxLength: 32 }),
    To: Type.String({ minLength: 3, maxLength: 32 }),
    Body: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: Type.String() },
);
type TwilioInbound = Static<typeof TwilioInbound>;

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export async function twilioWebhook(app: FastifyInstance): Promise<void> {
  const { db, box, cfg, queue } = app.deps;
  app.post<{ Body: TwilioInbound }>(
    '/webhooks/twilio/sms',
    { schema: { body: TwilioInbound }, bodyLimit: 64 * 1024, config: { rateLimitKind: 'webhook' } },
    async (req, reply) => {
      const body = req.body;
      const channel = await findChannelByAddress(db, 'sms', 'twilio', body.To);
      if (!channel) throw new AppError('unknown_destination', `no Twilio SMS channel for ${body.To}`);
      const { authToken } = channelCredentials<TwilioCredentials>(box, channel);
      const url = cfg.publicUrl + req.url;
      if (!verifyTwilioSignature(authToken, url, body as Record<string, string>, req.headers['x-twilio-signature'] as string | undefined))
        throw new AppError('bad_signature', 'X-Twilio-Signature does not match');
      if (!channel.tenantId) {
        await handlePlatformInbound({ db, queue }, { channelId: channel.id, from: body.From, externalId: body.MessageSid, text: body.Body });
        return reply.type('text/xml').send(EMPTY_TWIML);
      }
      await ingestInbound({ db, queue }, {
        tenantId: channel.tenantId,
        channelId: channel.id,
        channel: 'sms',
        from: body.From,
        externalId: body.MessageSid,
        text: body.Body,
        receivedAt: new Date(),
      });
      return reply.type('text/xml').send(EMPTY_TWIML);
    },
  );
}
