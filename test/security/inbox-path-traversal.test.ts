/**
 * Security finding 5 (issue 14): client-side path traversal in the staff inbox. The old inbox put
 * `#c=<anything>` into `/api/tenant/conversations/${c}/takeover`, so
 * `#c=..%2Fcampaigns%2F<id>%2Fsend%3F` plus the `t` key made the browser POST
 * /api/tenant/campaigns/<id>/send and a signed-in owner's click sent a campaign. The console
 * builds every API path through admin-web/shared/api-path.js (UUIDs only, encoded), so in real
 * Chromium none of the three link forms (the console's, /app's legacy hash, the old /admin/inbox
 * one) sends a request to /campaigns, and the campaign stays a draft. A control campaign, sent by
 * the same browser session through the raw string-built path, shows the attack would work
 * without the helper (so the test can fail).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../core/services/commerce/campaigns.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { staffTenant, type StaffTenant } from '../helpers/handoff.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let browser: Browser;
let t: StaffTenant;
let channelId: string;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  t = await staffTenant(h);
  // One customer so a sent campaign would really go out to someone.
  await h.twilioSms(t, '+254700777888', 'Hello');
  await h.settled();
  const [ch] = await h.rt.db.query<{ id: string }>(`select id from channels where tenant_id = $1 and provider = 'twilio'`, [t.tenant.id]);
  channelId = ch!.id;
});
afterAll(async () => {
  await t?.stop();
  await browser?.close();
  await h?.close();
});

async function draftCampaign(name: string): Promise<string> {
  const row = await h.rt.db.withTenant(t.tenant.id, (tx) =>
    createCampaign(tx, t.tenant.id, { name, channelId, text: 'Weekend offer: 20% off' }, { type: 'tenant_user', id: t.users.owner.id, tenantUserId: t.users.owner.id, ip: '127.0.0.1' }),
  );
  return row.id;
}
const statusOf = async (id: string) => (await h.rt.db.query<{ status: string }>(`select status from campaigns where id = $1`, [id]))[0]!.status;

async function ownerPage(): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${h.url}/app`);
  await page.getByLabel('Business', { exact: true }).fill(t.tenant.slug);
  await page.getByLabel('Email', { exact: true }).fill(t.users.owner.email);
  await page.getByLabel('Password', { exact: true }).fill(t.users.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  return { page, requests };
}

describe('inbox path traversal (issue 14, finding 5)', () => {
  for (const form of ['/app/conversations#filter=all&c=', '/app#c=', '/admin/inbox#c=']) {
    it(`${form}..%2Fcampaigns%2F<id>%2Fsend%3F and the t/h keys send nothing`, async () => {
      const id = await draftCampaign(`attack via ${form}`);
      const { page, requests } = await ownerPage();
      await page.goto(`${h.url}${form}..%2Fcampaigns%2F${id}%2Fsend%3F`);
      await page.getByText('That conversation link is not valid.').waitFor();
      expect(new URL(page.url()).pathname).toBe('/app/conversations');
      for (const key of ['t', 'h', 'r', 'Enter']) await page.keyboard.press(key);
      // A round trip after the keys: anything they had started would have been issued before it.
      await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
      expect(requests.filter((r) => r.includes('/campaigns'))).toEqual([]);
      expect(await statusOf(id)).toBe('draft');

      // Control: the same session, with the path built from the raw string as the old inbox did.
      const control = await draftCampaign(`control via ${form}`);
      const status = await page.evaluate(
        (c) => fetch(`/api/tenant/conversations/../campaigns/${c}/send?/takeover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status),
        control,
      );
      expect(status).toBe(200);
      expect(await statusOf(control)).not.toBe('draft');
      await page.close();
    });
  }
});
