/**
 * Finding 6: no Content-Security-Policy, X-Frame-Options or frame-ancestors on the admin pages
 * (clickjacking). Now @fastify/helmet sets a strict CSP (self only, no inline script) with
 * `frame-ancestors 'none'` on the console pages, while the web-chat page stays embeddable.
 * Chromium checks that a foreign page cannot frame /admin or /admin/inbox (but can frame
 * /chat/:slug), and that an inline script injected into the admin page does not run.
 */
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startSecurityHarness } from './security-harness.ts';

let h: Harness;
let browser: Browser;
let t: TestTenant;
let site: http.Server;
let siteUrl: string;
let pageHtml = '';

beforeAll(async () => {
  [h, browser] = await Promise.all([startSecurityHarness(), launchBrowser()]);
  t = await h.tenant();
  site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
  await h?.close();
});

const cspOf = async (path: string) => (await fetch(`${h.url}${path}`)).headers;

describe('finding 6: console pages carry a CSP and cannot be framed', () => {
  it('sends CSP with frame-ancestors none, nosniff, Referrer-Policy and (https PUBLIC_URL) HSTS', async () => {
    for (const path of ['/admin', '/admin/inbox', '/admin/invite', '/app', '/docs', '/api/auth/me']) {
      const headers = await cspOf(path);
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(/script-src[^;]*'unsafe-inline'/.test(csp), path).toBe(false);
      if (path !== '/docs') expect(csp, path).toContain("style-src 'self';"); // Swagger UI needs inline styles
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
    }
    const chat = await cspOf(`/chat/${t.tenant.slug}`);
    expect(chat.get('content-security-policy')).toContain('frame-ancestors *');
    expect(chat.get('x-frame-options')).toBeNull();
    expect((await cspOf('/widget.js')).get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('a foreign page cannot frame /admin or /admin/inbox, but can frame the web chat', async () => {
    pageHtml = `<!doctype html><iframe name="admin" src="${h.url}/admin"></iframe><iframe name="inbox" src="${h.url}/admin/inbox"></iframe>` +
      `<iframe name="chat" src="${h.url}/chat/${t.tenant.slug}"></iframe>`;
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const chat = page.frame({ name: 'chat' })!;
    await chat.getByTestId('aizalo-input').waitFor({ timeout: 10_000 }); // the control: framing works and is detectable
    for (const name of ['admin', 'inbox']) {
      const f = page.frame({ name })!;
      await h.until(async () => f.url() !== 'about:blank', 10_000, `${name} frame navigated`);
      expect(await f.locator('input, button').count(), name).toBe(0);
    }
    await page.close();
  });

  it('the pages still work under their CSP: /docs renders the API reference, /app its Preact shell', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && violations.push(`${page.url()}: ${m.text()}`));
    await page.goto(`${h.url}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    await page.goto(`${h.url}/app`);
    // The console's modules (ours and the vendored Preact) load and render under script-src 'self'.
    await page.getByRole('heading').first().waitFor({ timeout: 15_000 });
    await page.goto(`${h.url}/admin/inbox`);
    await page.getByTestId('inbox-login-email').waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });

  it('an inline script injected into the admin page does not run', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
    await page.goto(`${h.url}/admin`);
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.appendChild(s); // an inserted inline script runs synchronously, if allowed
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(violations.some((v) => /Content Security Policy/i.test(v))).toBe(true);
    await page.close();
  });
});
