/**
 * `aizalo start` (npm start): one process with gateway + workers + admin web. On an empty
 * database it seeds tenant `demo` (web chat ready) and a platform owner, and prints the banner
 * (start-banner.ts: console and admin URLs, logins, how to get a login back). A taken port prints
 * which variable to set and exits 1. Graceful shutdown on SIGTERM/SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Config } from '../../core/config.ts';
import { platformUsers, tenants } from '../../core/db/schema/index.ts';
import { hashPassword } from '../../core/services/tenancy/passwords.ts';
import { createTenant } from '../../core/services/tenancy/tenants.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { listenFailure, startBanner } from './start-banner.ts';

export const DEMO_ADMIN_EMAIL = 'admin@aizalo.local';
export const DEMO_OWNER_EMAIL = 'owner@demo.local';

/** Seed tenant `demo` and a platform owner when the database has no tenant yet. */
export async function seedDemo(rt: Runtime): Promise<{ email: string; password: string } | undefined> {
  const existing = await rt.db.withPlatform((tx) => tx.select({ id: tenants.id }).from(tenants).limit(1));
  if (existing.length) return undefined;
  const password = randomBytes(9).toString('base64url');
  await createTenant(rt.db, {
    slug: 'demo',
    name: 'Demo Safari Lodge',
    industry: 'hotels',
    status: 'active',
    profile: {
      description: 'A 24-room lodge near Nairobi National Park with a restaurant and pool.',
      hours: 'Reception open 24/7; restaurant 6:30-22:30',
      prices: 'Standard room KES 9,500/night, Deluxe KES 14,000/night, breakfast included',
      location: 'Langata Road, Nairobi',
    },
    owner: { email: DEMO_OWNER_EMAIL, password },
  });
  await rt.db.withPlatform((tx) =>
    hashPassword(password).then((passwordHash) =>
      tx.insert(platformUsers).values({ email: DEMO_ADMIN_EMAIL, passwordHash, role: 'owner', name: 'Platform owner' }),
    ),
  );
  return { email: DEMO_ADMIN_EMAIL, password };
}

/** Try the port before the (slow) database start, so a taken port is reported in a second. */
function probePort(cfg: Config): Promise<string | undefined> {
  if (!cfg.runGateway || cfg.port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'EADDRINUSE'));
    probe.listen(cfg.port, cfg.host, () => probe.close(() => resolve(undefined)));
  });
}

const LISTEN_ERRORS = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL']);

export async function startCommand(cfg: Config): Promise<number> {
  const taken = await probePort(cfg);
  if (taken && LISTEN_ERRORS.has(taken)) {
    console.error(listenFailure(cfg, taken));
    return 1;
  }
  const rt = await createRuntime(cfg);
  const seeded = await seedDemo(rt);
  let url: string | undefined;
  try {
    url = await rt.start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code || !LISTEN_ERRORS.has(code)) throw err;
    // A taken port is an everyday mistake, not a crash: say which variable to set, no stack.
    console.error(listenFailure(cfg, code));
    await rt.stop().catch(() => {});
    return 1;
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'shutting down');
    await rt.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // After the handlers: whoever reads the banner may stop us at once.
  process.stdout.write(
    startBanner({
      cfg,
      listening: url,
      queueKind: rt.queue.kind,
      llmProviders: Object.keys(rt.providers).filter((p) => p !== 'offline'),
      mailKind: rt.mailer.kind,
      seeded: seeded && { ...seeded, ownerEmail: DEMO_OWNER_EMAIL },
      hasDocs: !!rt.app?.hasRoute({ method: 'GET', url: '/docs' }),
    }),
  );
  return new Promise<number>(() => {});
}
