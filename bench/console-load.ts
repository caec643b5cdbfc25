/**
 * Console first load in real Chromium (Debian's /usr/bin/chromium via playwright-core) at 375 px:
 * from navigation until the view's heading is shown and nothing says "Loading", for /app (the
 * dashboard), /app/conversations, /app/catalog and /app/bookings, signed in as the owner of a
 * tenant with 2,000 customers and conversations (5 messages each). Baseline in the same run and
 * browser: /healthz opened as a page (network + Chromium's own cost, no app code). Prints median
 * and p99 in ms and the ratio to the baseline; the goal is a first view under 1 s on localhost.
 *
 * Run: npx tsx bench/console-load.ts [--runs 15]
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { hashPassword } from '../core/services/tenancy/passwords.ts';
import { createTenant } from '../core/services/tenancy/tenants.ts';
import { createRuntime } from '../bin/runtime.ts';
import { adminQuery, dbUrl } from '../test/helpers/pg.ts';
import { CHROMIUM_PATH } from '../test/helpers/browser.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const dbName = `aizalo_bench_${randomBytes(4).toString('hex')}`;
await adminQuery(`CREATE DATABASE ${dbName}`);
const cfg = loadConfig({ DATABASE_URL: dbUrl(dbName), PORT: '0', HOST: '127.0.0.1', SECRET_KEY: 'bench-secret-key-0123456789abcdef', LOG_LEVEL: 'silent', DATA_DIR: '/tmp' });
const rt = await createRuntime(cfg, { logger: createLogger('silent'), withApp: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const db = rt.db;
  const t = (await createTenant(db, { slug: 'bench-load', name: 'Bench Lodge', industry: 'hotels', status: 'active' })).id;
  await db.query(`insert into tenant_users (tenant_id, email, password_hash, role) values ($1, 'owner@bench.test', $2, 'owner')`, [t, await hashPassword('bench-password-123')]);
  await db.query(`insert into channels (tenant_id, type, provider, address) values ($1, 'sms', 'twilio', '+15550000001')`, [t]);
  await db.query(
    `with ch as (select id from channels where tenant_id = $1 limit 1),
     cu as (insert into customers (tenant_id, handle, name) select $1, '+2547' || lpad(g::text, 8, '0'), 'Customer ' || g from generate_series(1, 2000) g returning id),
     co as (insert into conversations (tenant_id, customer_id, channel_id, last_message_at) select $1, cu.id, ch.id, now() - random() * interval '7 days' from cu, ch returning id, channel_id)
     insert into messages (tenant_id, conversation_id, channel_id, direction, sender, text, status)
     select $1, co.id, co.channel_id, case when k % 2 = 1 then 'inbound' else 'outbound' end, case when k % 2 = 1 then 'customer' else 'ai' end, 'message ' || k, case when k % 2 = 1 then 'processed' else 'sent' end
     from co, generate_series(1, 5) k`,
    [t],
  );
  const app = rt.app!;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const login = await context.request.post(`${base}/api/auth/login`, { data: { email: 'owner@bench.test', password: 'bench-password-123', tenant: 'bench-load' } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
  const page = await context.newPage();

  /** ms from navigation start until `ready` holds in the page. */
  async function load(path: string, ready: () => boolean): Promise<number> {
    await page.goto('about:blank');
    const t0 = performance.now();
    await page.goto(`${base}${path}`);
    await page.waitForFunction(ready, undefined, { timeout: 30_000 });
    return performance.now() - t0;
  }
  // Functions, not strings: the console's CSP forbids eval, which string predicates need.
  const viewReady = () => !!document.querySelector('main h1, main h2, h1') && !document.body.innerText.includes('Loading');
  const healthReady = () => document.body.innerText.includes('ok');
  const targets: Array<[string, string, () => boolean]> = [
    ['baseline /healthz page', '/healthz', healthReady],
    ['/app (dashboard)', '/app', viewReady],
    ['/app/conversations', '/app/conversations', viewReady],
    ['/app/catalog', '/app/catalog', viewReady],
    ['/app/bookings', '/app/bookings', viewReady],
  ];
  const samples = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  for (const [, path, ready] of targets) await load(path, ready); // warm-up: module cache, JIT
  for (let i = 0; i < RUNS; i++) for (const [name, path, ready] of targets) samples.get(name)!.push(await load(path, ready));
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  const baseMedian = q(samples.get(targets[0]![0])!, 0.5);
  console.log(`console first load, Chromium 375 px, ${RUNS} runs each, interleaved (ms):`);
  for (const [name] of targets) {
    const xs = samples.get(name)!;
    console.log(`  ${name.padEnd(24)} p50 ${q(xs, 0.5).toFixed(0).padStart(5)}  p99 ${q(xs, 0.99).toFixed(0).padStart(5)}  ×baseline p50 ${(q(xs, 0.5) / baseMedian).toFixed(1)}`);
  }
} finally {
  await browser.close();
  await rt.stop();
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
