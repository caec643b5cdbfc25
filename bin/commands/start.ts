/**
 * `aizalo start` (npm start): one process with gateway + workers + admin web. On an empty
 * database it seeds tenant `demo` (web chat ready) and a platform owner, and prints the web-chat
 * URL, the admin URL and the admin login. Graceful shutdown on SIGTERM/SIGINT.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../core/config.ts';
import { platformUsers, tenants } from '../../core/db/schema/index.ts';
import { hashPassword } from '../../core/services/tenancy/passwords.ts';
import { createTenant } from '../../core/services/tenancy/tenants.ts';
import { createRuntime, type Runtime } from '../runtime.ts';

export const DEMO_ADMIN_EMAIL = 'admin@aizalo.local';

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
    owner: { email: 'owner@demo.local', password },
  });
  await rt.db.withPlatform((tx) =>
    hashPassword(password).then((passwordHash) =>
      tx.insert(platformUsers).values({ email: DEMO_ADMIN_EMAIL, passwordHash, role: 'owner', name: 'Platform owner' }),
    ),
  );
  return { email: DEMO_ADMIN_EMAIL, password };
}

export async function startCommand(cfg: Config): Promise<number> {
  const rt = await createRuntime(cfg);
  const seeded = await seedDemo(rt);
  const url = await rt.start();
  const base = cfg.publicUrl;
  const mode = cfg.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${cfg.dataDir}`;
  const llm = Object.keys(rt.providers).join(', ');
  console.log(`\nAizalo is running (${mode}; queue: ${rt.queue.kind}; LLM providers: ${llm}) on ${url ?? 'no HTTP (worker)'}`);
  console.log(`  Web chat:  ${base}/chat/demo`);
  console.log(`  Admin:     ${base}/admin`);
  if (seeded) {
    console.log(`  Admin login (platform owner): ${seeded.email} / ${seeded.password}`);
    console.log(`  Tenant login (demo owner):    owner@demo.local / ${seeded.password}`);
  } else console.log('  Admin login: the platform user you created (aizalo user create ...)');
  if (!rt.providers.gemini && !rt.providers.groq && !rt.providers.openai)
    console.log('  No LLM key set: replies come from the offline fallback. Set GEMINI_API_KEY (and GROQ_API_KEY) for AI replies.');
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
  return new Promise<number>(() => {});
}
