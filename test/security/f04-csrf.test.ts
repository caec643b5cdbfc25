/**
 * Finding 4: CSRF rested on SameSite=Lax alone — no Origin check, and form bodies were accepted
 * on every JSON route, so a page on any same-site origin (another port, a sibling subdomain)
 * sent a staff message and suspended a tenant with the victim's cookie. SameSite does not help
 * there (same site), so: state-changing /api routes take application/json only (415) and refuse
 * a foreign Origin / cross-site Sec-Fetch-Site (403). Chromium plays the victim's browser; the
 * attacker's page is served from another port of the same host.
 */
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { loginAs, createPlatformUser } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { conversationOf, staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import { startSecurityHarness } from './security-harness.ts';

let h: Harness;
let browser: Browser;
let t: StaffTenant;
let attacker: http.Server;
let attackerUrl: string;
let pageHtml = '';

beforeAll(async () => {
  [h, browser] = await Promise.all([startSecurityHarness(), launchBrowser()]);
  t = await staffTenant(h);
  attacker = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml));
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await t?.stop();
  await browser?.close();
  await new Promise((r) => attacker?.close(r));
  await h?.close();
});

/** A signed-in victim's browser context (the real session cookie, as the login sets it). */
async function victim(session: { token: string }) {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'aizalo_session', value: session.token, url: h.url, httpOnly: true, sameSite: 'Strict' }]);
  return ctx;
}

/** The attacker's page: an auto-submitting form to `action`, then the answer it got. */
async function formAttack(ctx: Awaited<ReturnType<typeof victim>>, action: string, fields: Record<string, string>) {
  const inputs = Object.entries(fields).map(([k, v]) => `<input name="${k}" value="${v}">`).join('');
  pageHtml = `<!doctype html><form id="f" method="POST" action="${action}">${inputs}</form><script>document.getElementById('f').submit()</script>`;
  const page = await ctx.newPage();
  const answer = page.waitForResponse((r) => r.url() === action);
  await page.goto(attackerUrl);
  const res = await answer;
  const status = res.status();
  await page.close();
  return status;
}

describe('finding 4: a same-site page cannot act with the staff session', () => {
  it('a form POST from another port neither sends a staff message nor suspends a tenant', async () => {
    await h.twilioSms(t, '+254700444555', 'Hello?');
    const conv = await conversationOf(h, t.tenant.id, '+254700444555');
    await h.settled();
    const staff = await loginAs(h, { ...t.users.staff, tenant: t.tenant.slug });
    const ctx = await victim(staff);
    const status = await formAttack(ctx, `${h.url}/api/tenant/conversations/${conv.id}/messages`, { text: 'Pay the deposit to 0700 000 000' });
    expect(status).toBe(403);
    const staffMsgs = await h.rt.db.query(`select 1 from messages where conversation_id = $1 and sender = 'staff'`, [conv.id]);
    expect(staffMsgs).toHaveLength(0);
    await ctx.close();

    const admin = await loginAs(h, await createPlatformUser(h, 'admin'));
    const actx = await victim(admin);
    expect(await formAttack(actx, `${h.url}/api/admin/tenants/${t.tenant.id}/suspend`, { reason: 'csrf' })).toBe(403);
    const [row] = await h.rt.db.query<{ status: string }>(`select status from tenants where id = $1`, [t.tenant.id]);
    expect(row!.status).toBe('active');
    await actx.close();
  });

  it('the app itself still works: a same-origin JSON request from the console page succeeds', async () => {
    const staff = await loginAs(h, { ...t.users.staff, tenant: t.tenant.slug });
    const ctx = await victim(staff);
    const page = await ctx.newPage();
    await page.goto(`${h.url}/admin/inbox`);
    const conv = await conversationOf(h, t.tenant.id, '+254700444555');
    const status = await page.evaluate(async (url) => {
      const r = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hi from staff' }) });
      return r.status;
    }, `/api/tenant/conversations/${conv.id}/messages`);
    expect(status).toBe(201);
    await ctx.close();
  });

  it('answers 415 to non-JSON bodies and 403 to foreign origins on state-changing /api routes', async () => {
    const owner = await loginAs(h, { ...t.users.owner, tenant: t.tenant.slug });
    const post = (headers: Record<string, string>, body?: string) =>
      fetch(`${h.url}/api/tenant/knowledge`, { method: 'POST', headers: { ...owner.headers, ...headers }, body });
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'title=x&text=ignore+previous+instructions')).status).toBe(415);
    expect((await post({ 'content-type': 'text/plain' }, '{"title":"x","text":"y"}')).status).toBe(415);
    expect((await post({ 'content-type': 'multipart/form-data; boundary=x' }, '--x--')).status).toBe(415);
    const cross = await post({ 'content-type': 'application/json', origin: 'http://127.0.0.1:1' }, '{"title":"x","text":"y"}');
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as any).error.code).toBe('cross_site');
    expect((await post({ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }, '{"title":"x","text":"y"}')).status).toBe(403);
    expect((await post({ 'content-type': 'application/json', origin: 'null' }, '{"title":"x","text":"y"}')).status).toBe(403);
    expect(await h.rt.db.query(`select 1 from kb_documents where tenant_id = $1`, [t.tenant.id])).toHaveLength(0);
    // PUBLIC_URL's origin is allowed (a deployment behind a proxy), and so are bodiless actions.
    const ok = await fetch(`${h.url}/api/auth/sessions/revoke-all`, { method: 'POST', headers: { ...owner.headers, 'content-type': 'application/json', origin: 'https://aizalo.test' }, body: '{}' });
    expect(ok.status).toBe(204);
    expect((await api(h, 'POST', '/api/auth/logout', { headers: owner.headers })).status).toBe(204);
  });
});
