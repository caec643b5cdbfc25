/**
 * Web chat: GET /widget.js (the embeddable widget), GET /chat/:slug (a page that embeds it) and
 * the live connection GET /chat/:slug/ws?visitor=ID (WebSocket, @fastify/websocket).
 *
 * Socket frames (JSON): client → `{type:'message', clientId, text}`; server →
 * `{type:'history', messages}`, `{type:'message', id, role:'agent'|'staff', text}`,
 * `{type:'error', message}`. Close code 4404 = unknown tenant, 4400 = bad visitor id.
 * Messages go through the one ingest path with `realtime: true` (a live customer is waiting);
 * `clientId` is the idempotency key, so a resent frame never makes a second reply.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { findChannelByAddress } from '../../../core/services/channels.ts';
import { ingestInbound } from '../../../core/services/ingest.ts';
import { webchatHistory } from './webchat-history.ts';

const WIDGET_JS = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'widget.js'), 'utf8');
const VISITOR_RE = /^[A-Za-z0-9._-]{8,64}$/;
const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Live-event topic for one web-chat visitor of one tenant (the sender publishes here). */
export const visitorTopic = (tenantId: string, handle: string) => `webchat:${tenantId}:${handle}`;

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
    async (socket, req) => {
      const { slug } = req.params;
      const visitor = req.query.visitor ?? '';
      if (!VISITOR_RE.test(visitor)) return socket.close(4400, 'bad visitor id');
      const channel = SLUG_RE.test(slug) ? await findChannelByAddress(db, 'webchat', 'webchat', slug) : undefined;
      if (!channel?.tenantId) return socket.close(4404, 'unknown tenant');
      const tenantId = channel.tenantId;
      const handle = `web:${visitor}`;
      const send = (data: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(data));
      const unsubscribe = await bus.subscribe(visitorTopic(tenantId, handle), (ev) => send(ev));
      socket.on('close', () => void unsubscribe());
      socket.on('message', async (raw: Buffer) => {
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
            tenantId,
            channelId: channel.id,
            channel: 'webchat',
            from: handle,
            externalId: frame.clientId,
            text,
            receivedAt: new Date(),
            realtime: true,
          });
        } catch (err) {
          req.log.error({ err }, 'web chat ingest failed');
          send({ type: 'error', message: 'Your message could not be delivered, please try again.' });
        }
      });
      send({ type: 'history', messages: await webchatHistory(db, tenantId, channel.id, handle) });
    },
  );
}
