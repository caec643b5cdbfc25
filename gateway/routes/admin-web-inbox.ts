/**
 * The old staff inbox's URLs, now parts of the tenant console (admin-web/app/, served by
 * web-assets.ts):
 *  GET /admin/inbox, /admin/inbox/, /admin/inbox/index.html → 302 /app/conversations (the browser
 *      keeps the `#filter=…&c=…` fragment, so old links open the same conversation)
 *  GET /admin/inbox/channels.html → the console page itself, which shows its Channels section
 *      there (a compat path for bookmarks; the console's router knows it as an alias of Channels)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const CONSOLE_INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../admin-web/app/index.html');

export async function adminWebInboxRoutes(app: FastifyInstance): Promise<void> {
  const indexHtml = readFileSync(CONSOLE_INDEX);
  for (const p of ['/admin/inbox', '/admin/inbox/', '/admin/inbox/index.html']) app.get(p, async (_req, reply) => reply.redirect('/app/conversations', 302));
  app.get('/admin/inbox/channels.html', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(indexHtml),
  );
}
