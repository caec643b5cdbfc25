/**
 * Serves the staff inbox (admin-web/inbox/: plain HTML, CSS and ES modules, no build step) at
 * /admin/inbox. Files are read once at start from a fixed list (no path from the request ever
 * touches the file system); `/admin/inbox` answers index.html.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const INBOX_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../admin-web/inbox');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export async function adminWebInboxRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(INBOX_DIR)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(name, { body: readFileSync(path.join(INBOX_DIR, name)), type });
  }
  const send = (name: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const f = files.get(name)!;
    return reply.type(f.type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(f.body);
  };
  app.get('/admin/inbox', send('index.html'));
  app.get('/admin/inbox/', send('index.html'));
  for (const name of files.keys()) if (name !== 'index.html') app.get(`/admin/inbox/${name}`, send(name));
}
