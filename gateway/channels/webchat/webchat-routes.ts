/**
 * Web chat: GET /widget.js (the embeddable widget), GET /chat/:slug (a page that embeds it) and
 * the live connection GET /chat/:slug/ws?visitor=ID (WebSocket, @fastify/websocket).
 *
 * Socket frames (JSON): client → `{type:'message', clientId, text}`; server →
 * `{type:'history', messages}`, `{type:'message', id, role:'agent', author:'ai'|'staff'|'system', text}`,
 * `{type:'error', message}`. Close code 4404 = unknown tenant, 4400 = bad visitor id. At most 10
 * frames per 10 s per socket are accepted (the rest get an error frame); the upgrade itself is
 * rate-limited per tenant by the rate-limit plugin.
 * Messages go through the one ingest path with `realtime: true` (a live customer is waiting);
 * `clientId` is the idempotency key, so a resent frame never makes a second reply.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { findChannelByAddress } from '../../../core/services/tenancy/channels.ts';
import { ingestInbound } from '../../../core/services/conversations/ingest.ts';
import { webchatHistory } from './webchat-history.ts';

const WIDGET_JS = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'widget.js'), 'utf8');
const VISITOR_RE = /^[A-Za-z0-9._-]{8,64}$/;
const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Live-event topic for one web-chat visitor of one tenant (the sender publishes here). */
export const visitorTopic = (tenantId: string, handle: string) => `webchat:${tenantId}:${handle}` as const;

/** Provider message id of a web-chat message: the client's id, scoped by visitor. */
export const webchatExternalId = (visitor: string, clientId: string) => `${visitor}:${clientId}`;

/** Per-socket flood guard: at most FRAME_LIMIT customer frames per FRAME_WINDOW_MS. */
const FRAME_LIMIT = 10;
const FRAME_WINDOW_MS = 10_000;
function frameLimiter(): () => boolean {
  let windowStart = 0;
  let count = 0;
  return () => {
    const now = Date.now();
    if (now - windowStart >= FRAME_WINDOW_MS) {
      windowStart = now;
      count = 0;
    }
    return ++count <= FRAME_LIMIT;
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function webchatRoutes(app: FastifyInstance): Promise<void> {
  const { db, queue, bus } = app.deps;

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
      const visitor = req.query.visitor ?? '';
      const handle = `web:${visitor}`;
      const send = (data: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(data));
      const limiter = frameLimiter();
      let closed = false;
      let unsubscribe: (() => Promise<void>) | undefined;
      // Listeners are attached before any await: the widget sends queued frames the moment the
      // socket opens, and frames arriving during setup must not be lost (@fastify/websocket docs).
      const ready = (async () => {
        if (!VISITOR_RE.test(visitor)) return void socket.close(4400, 'bad visitor id');
        const channel = SLUG_RE.test(slug) ? await findChannelByAddress(db, 'webchat', 'webchat', slug) : undefined;
        if (!channel?.tenantId) return void socket.close(4404, 'unknown tenant');
        const tenantId = channel.tenantId;
        const off = await bus.subscribe(visitorTopic(tenantId, handle), (ev) => send(ev));
        if (closed) return void (await off());
        unsubscribe = off;
        send({ type: 'history', messages: await webchatHistory(db, tenantId, channel.id, visitor) });
        return { tenantId, channelId: channel.id };
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
          if (!limiter()) return send({ type: 'error', message: 'You are sending messages too quickly; please wait a moment.' });
          let frame: { type?: string; clientId?: string; text?: string };
          try {
            frame = JSON.parse(raw.toString('utf8'));
          } catch {
            return send({ type: 'error', message: 'frames must be JSON' });
          }
          const text = typeof frame.text === 'string' ? frame.text.trim() : '';
          if (frame.type !== 'message' || !text || text.length > 2000 || typeof frame.clientId !== 'string' || !VISITOR_RE.test(frame.clientId))
            return send({ type: 'error', message: 'expected {type:"message", clientId, text} with 1-2000 characters' });
          try {
            await ingestInbound({ db, queue }, {
              tenantId: ctx.tenantId,
              channelId: ctx.channelId,
              channel: 'webchat',
              from: handle,
              // Scoped by visitor: one visitor's client ids can never collide with another's.
              externalId: webchatExternalId(visitor, frame.clientId),
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
