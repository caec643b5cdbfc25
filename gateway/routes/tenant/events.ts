/**
 * Live updates for the staff inbox: GET /api/tenant/events (`read` permission) is a
 * Server-Sent Events stream (https://html.spec.whatwg.org/multipage/server-sent-events.html)
 * of the tenant's topic `tenant:<id>` on the event bus (Redis pub/sub in production, so every
 * gateway process sees every event). Each event: `event: <type>` + `data: <JSON>`; types
 * `message`, `ownership`, `needs_attention`. A comment line every 25 s keeps proxies from
 * closing the stream; the browser's EventSource reconnects on its own (`retry: 2000`).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { tenantCan } from '../../../core/services/tenancy/permissions.ts';
import { withErrors } from '../../schemas/common.ts';

const KEEPALIVE_MS = 25_000;

/** The stream, documented as its media type (the reply is hijacked, so nothing is serialised). */
const EventStream = Type.String({
  description: 'text/event-stream: `event: <type>` + `data: <JSON>`; types message, ownership, needs_attention, whatsapp.*',
});

export const tenantEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { bus } = app.deps;
  const open = new Set<ServerResponse>();
  // End open streams before the server closes, or close would wait for them forever.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  app.get('/api/tenant/events', { schema: { response: withErrors({ 200: EventStream }) }, preHandler: app.requireTenantRole('read') }, async (req, reply) => {
    const tenantId = req.auth!.tenant!.id;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    open.add(res);
    // WhatsApp QR payloads and pairing codes link a phone as the business's number: only for
    // roles that may link (settings), like GET /api/tenant/channels/:id/link.
    const secretOk = tenantCan(req.auth!.tenant!.role, 'settings');
    const ping = setInterval(() => res.write(': ping\n\n'), KEEPALIVE_MS);
    // Close handling is in place before the subscription is awaited: a client that disconnects
    // while it resolves must not leave a subscription or a timer behind.
    let closed = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    const onClose = () => {
      closed = true;
      clearInterval(ping);
      open.delete(res);
      void unsubscribe?.();
    };
    res.on('close', onClose);
    if (res.destroyed) onClose(); // gone before the handler ran: 'close' was already emitted
    try {
      const unsub = await bus.subscribe(`tenant:${tenantId}`, (ev) => {
        if (!secretOk && (ev.type === 'whatsapp.qr' || ev.type === 'whatsapp.pairing_code')) return;
        res.write(`event: ${String(ev.type).replace(/[^a-z_]/g, '')}\ndata: ${JSON.stringify(ev)}\n\n`);
      });
      if (closed) await unsub();
      else unsubscribe = unsub;
    } catch (err) {
      req.log.warn({ err }, 'event stream subscription failed');
      res.end();
    }
  });
};
