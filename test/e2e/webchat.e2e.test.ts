/**
 * Web chat in real Chromium: /chat/<slug> embeds widget.js; a message typed in the widget goes
 * over the WebSocket, through ingest and the inbound worker to the fake Groq (a live web-chat
 * turn is real-time traffic), and the reply appears without a reload. Also: the widget embeds
 * in a plain static HTML page on another origin.
 */
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser.ts';

let h: Harness;
let browser: Browser;
let slug: string;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  slug = (await h.tenant({ name: 'Mama Oliech Restaurant', industry: 'restaurants' })).tenant.slug;
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('web-chat widget', () => {
  it('shows the agent reply from the fake Groq live, and keeps history across a reload', async () => {
    h.groq.setReply(() => ({ text: 'Habari! Our fish special is KES 850 today.' }));
    const page = await browser.newPage();
    await page.goto(`${h.url}/chat/${slug}`);
    await page.getByTestId('aizalo-input').fill('What is the special today?');
    await page.getByTestId('aizalo-send').click();
    const agent = page.locator('[data-testid="aizalo-message"][data-role="agent"]');
    await agent.first().waitFor({ timeout: 15_000 });
    expect(await agent.first().textContent()).toBe('Habari! Our fish special is KES 850 today.');
    expect(await page.locator('[data-testid="aizalo-message"][data-role="customer"]').textContent()).toBe('What is the special today?');
    // Real-time traffic: Groq answered, Gemini was not asked.
    expect(h.groq.requests).toHaveLength(1);
    expect(h.gemini.requests).toHaveLength(0);
    expect(h.groq.requests[0]!.lastUserText).toBe('What is the special today?');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/webchat.png` });

    await page.reload();
    await page.locator('[data-testid="aizalo-message"][data-role="agent"]').first().waitFor();
    expect(await page.locator('[data-testid="aizalo-message"]').count()).toBe(2);
    await page.close();
  });

  it('embeds in a static page served from another origin', async () => {
    h.groq.setReply(() => ({ text: 'We are open until 11pm.' }));
    const html = `<!doctype html><html><body><h1>Static site</h1><script src="${h.url}/widget.js" data-tenant="${slug}"></script></body></html>`;
    const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    const port = (site.address() as { port: number }).port;
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.getByTestId('aizalo-input').fill('Until when are you open?');
      await page.getByTestId('aizalo-input').press('Enter');
      const agent = page.locator('[data-testid="aizalo-message"][data-role="agent"]');
      await agent.first().waitFor({ timeout: 15_000 });
      expect(await agent.first().textContent()).toBe('We are open until 11pm.');
    } finally {
      await page.close();
      site.close();
    }
  });

  it('answers an unknown tenant page with 404', async () => {
    const res = await fetch(`${h.url}/chat/no-such-tenant`);
    expect(res.status).toBe(404);
  });
});
