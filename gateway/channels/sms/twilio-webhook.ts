/**
 * POST /webhooks/twilio/sms — Twilio inbound SMS (form-encoded; fields per Twilio's
 * "Messaging webhook request" docs: MessageSid, From, To, Body, NumMedia, …).
 * Order of checks: malformed → 400; unknown `To` or bad signature → the same 403 (so which
 * numbers are registered cannot be probed), charged to the sender address's failure bucket (429
 * when over); only then the tenant's own rate-limit bucket (429), so unsigned requests can never
 * use it up. None of these stores anything. Then the one ingest path; answers 200 with empty
 * TwiML (the reply goes out later via the REST API, so a slow model never times out Twilio).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { channelCredentials, findChannelByAddress, type TwilioCredentials } from '../../../core/services/tenancy/channels.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import { AppError } from '../../../core/errors.ts';
import { handlePlatformInbound } from '../platform-inbound.ts';
import { verifyTwilioSignature } from './twilio-signature.ts';

/** One answer for every unauthenticated request (unknown number or bad signature alike). */
export const notAuthenticated = () => new AppError('bad_signature', 'Request signature not valid for this destination');
// Verifying against a throwaway token for an unknown `To` keeps both failures equally slow.
const NO_CHANNEL_TOKEN = 'no-such-channel-0000000000000000';

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
  // Form bodies are parsed in this webhook's own scope only: the /api routes take JSON alone.
  await app.register(formbody);
  const { db, box, cfg, queue } = app.deps;
  app.post<{ Body: TwilioInbound }>(
    '/webhooks/twilio/sms',
    { schema: { body: TwilioInbound }, bodyLimit: 64 * 1024 },
    async (req, reply) => {
      const body = req.body;
      const channel = await findChannelByAddress(db, 'sms', 'twilio', body.To);
      const authToken = channel ? channelCredentials<TwilioCredentials>(box, channel).authToken : NO_CHANNEL_TOKEN;
      const url = cfg.publicUrl + req.url;
      const signed = verifyTwilioSignature(authToken, url, body as Record<string, string>, req.headers['x-twilio-signature'] as string | undefined);
      if (!channel || !signed) throw await app.webhookLimits.failed(req, reply, notAuthenticated());
      await app.webhookLimits.tenant(req, reply, `twilio:${channel.id}`);
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
