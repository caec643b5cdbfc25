/**
 * Web chat: GET /widget.js (the embeddable widget), GET /chat/:slug (a page that embeds it) and
 * the live connection GET /chat/:slug/ws?visitor=SECRET (WebSocket, @fastify/websocket).
 *
 * The visitor credential is a random secret the widget keeps in localStorage (16–128 URL-safe
 * characters; the widget makes 43). It is never stored or shown: the customer's handle is
 * `web:<visitorId>`, visitorId = 12 characters of HMAC(SECRET_KEY, tenant + secret) — a short
 * label staff see that does not let anyone connect as the visitor (issue 14, finding 11).
 *
 * Socket frames (JSON): client → `{type:'message', clientId, text}`; server →
 * `{type:'history', messages}`, `{type:'message', id, role:'agent', author:'ai'|'staff'|'system', text}`,
 * `{type:'error', message}`. Close codes: 4404 unknown tenant, 4400 bad visitor secret, 4429 the
 * tenant's new-visitor ceiling reached. Limits (rate-limit plugin, shared across processes):
 * upgrades per client address; frames per visitor across all its sockets and per address (the
 * rest get an error frame); new visitors per tenant per minute.
 * Messages go through the one ingest path with `realtime: true` (a live customer is waiting);
 * `clientId` is the idempotency key, so a resent frame never makes a second reply.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { findChannelByAddress } from '../../../core/services/tenancy/channels.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import { hasInvalidText } from '../../plugins/request-guards.ts';
import { visitorKnown, webchatHistory } from './webchat-history.ts';

const WIDGET_JS = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'widget.js'), 'utf8');
const SECRET_RE = /^[A-Za-z0-9._-]{16,128}$/;
const CLIENT_ID_RE = /^[A-Za-z0-9._-]{8,64}$/;
const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Live-event topic for one web-chat visitor of one tenant (the sender publishes here). */
export const visitorTopic = (tenantId: string, handle: string) => `webchat:${tenantId}:${handle}` as const;

/** Provider message id of a web-chat message: the client's id, scoped by visitor id. */
export const webchatExternalId = (visitorId: string, clientId: string) => `${visitorId}:${clientId}`;

/** The public, non-secret visitor id derived from the widget's secret (12 base64url characters). */
export function webchatVisitorId(secretKey: string, tenantId: string, secret: string): string {
  return createHmac('sha256', secretKey).update(`webchat-visitor\0${tenantId}\0${secret}`).digest('base64url').slice(0, 12);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function webchatRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue, bus, cfg } = app.deps;

  app.get('/widget.js', async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(WIDGET_JS),
  );

  app.get<{ Params: { slug: string } }>('/chat/:slug', async (req, reply) => {
    const { slug } = req.params;
    const channel = SLUG_RE.test(slug) ? await findChannelByAddress(db, 'webchat', 'webchat', slug) : undefined;
    if (!channel) return reply.status(404).type('text/html').send('<!doctype html><title>Not found</title><p>No such chat.</p>');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
          `<title>Chat</title></head><body style="font-family:system-ui;margin:0;padding:24px;background:#f9fafb">` +
          `<h1 style="font-size:20px">Chat with us</h1><p>Ask us anything: we usually answer within seconds.</p>` +
          `<script src="/widget.js" data-tenant="${escapeHtml(slug)}"></script></body></html>`,
      );
  });

  app.get<{ Params: { slug: string }; Querystring: { visitor?: string } }>(
    '/chat/:slug/ws',
    { websocket: true, config: { rateLimitKind: 'webchat' } },
    (socket, req) => {
      const { slug } = req.params;
      const secret = req.query.visitor ?? '';
      const send = (data: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(data));
      let closed = false;
      let unsubscribe: (() => Promise<void>) | undefined;
      // Listeners are attached before any await: the widget sends queued frames the moment the
      // socket opens, and frames arriving during setup must not be lost (@fastify/websocket docs).
      const ready = (async () => {
        if (!SECRET_RE.test(secret)) return void socket.close(4400, 'bad visitor id');
        const channel = SLUG_RE.test(slug) ? await findChannelByAddress(db, 'webchat', 'webchat', slug) : undefined;
        if (!channel?.tenantId) return void socket.close(4404, 'unknown tenant');
        const tenantId = channel.tenantId;
        const visitorId = webchatVisitorId(cfg.secretKey, tenantId, secret);
        const handle = `web:${visitorId}`;
        if (!(await visitorKnown(db, tenantId, handle)) && !(await app.webchatLimits.newVisitor(req, tenantId)))
          return void socket.close(4429, 'too many new visitors; try again shortly');
        const off = await bus.subscribe(visitorTopic(tenantId, handle), (ev) => send(ev));
        if (closed) return void (await off());
        unsubscribe = off;
        send({ type: 'history', messages: await webchatHistory(db, tenantId, channel.id, visitorId) });
        return { tenantId, channelId: channel.id, visitorId, handle };
      })().catch((err) => {
        req.log.error({ err }, 'web chat setup failed');
        socket.close(1011, 'setup failed');
        return undefined;
      });
      socket.on('close', () => {
        closed = true;
        void unsubscribe?.();
      });
      socket.on('message', (raw: Buffer) => {
        void ready.then(async (ctx) => {
          if (!ctx) return;
          if (!(await app.webchatLimits.message(req, `${ctx.tenantId}:${ctx.visitorId}`)))
            return send({ type: 'error', message: 'You are sending messages too quickly; please wait a moment.' });
          let frame: { type?: string; clientId?: string; text?: string };
          try {
            frame = JSON.parse(raw.toString('utf8'));
          } catch {
            return send({ type: 'error', message: 'frames must be JSON' });
          }
          const text = typeof frame.text === 'string' ? frame.text.trim() : '';
          if (frame.type !== 'message' || !text || text.length > 2000 || hasInvalidText(text) || typeof frame.clientId !== 'string' || !CLIENT_ID_RE.test(frame.clientId))
            return send({ type: 'error', message: 'expected {type:"message", clientId, text} with 1-2000 characters' });
          try {
            await ingestInbound({ db, queue }, {
              tenantId: ctx.tenantId,
              channelId: ctx.channelId,
              channel: 'webchat',
              from: ctx.handle,
              // Scoped by visitor: one visitor's client ids can never collide with another's.
              externalId: webchatExternalId(ctx.visitorId, frame.clientId),
              text,
              receivedAt: new Date(),
              realtime: true,
            });
          } catch (err) {
            req.log.error({ err }, 'web chat ingest failed');
            send({ type: 'error', message: 'Your message could not be delivered, please try again.' });
          }
        });
      });
    },
  );
}
