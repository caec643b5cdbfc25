/**
 * Linking a WhatsApp number from the staff inbox's Channels view in real Chromium, with a fake
 * Baileys socket behind the real runtime: an admin signs in, opens Channels from the nav, starts
 * linking, sees the QR code appear and change when WhatsApp rotates it, gets a pairing code for a
 * phone number (keyboard only), and sees the status turn Connected live. A viewer sees statuses
 * only. Screenshot at phone width goes to test-results/screenshots/.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { qrDataUrl } from '../../gateway/routes/tenant/channel-link-state.ts';
import { createFakeBaileys } from '../fakes/fake-baileys-socket.ts';
import { createTenantUser, type Credentials } from '../helpers/auth.ts';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';

const fake = createFakeBaileys();
let h: Harness;
let browser: Browser;
let t: TestTenant;
let wa: string;
let admin: Credentials;
let viewer: Credentials;

beforeAll(async () => {
  [h, browser] = await Promise.all([
    startHarness({ runtime: { whatsapp: { factory: fake.factory, rescanMs: 0, standbyRetryMs: 50, backoff: { baseMs: 20, capMs: 60 } } } }),
    launchBrowser(),
  ]);
  t = await h.tenant();
  wa = (await createChannel(h.rt.db, h.rt.box, { tenantId: t.tenant.id, type: 'whatsapp', provider: 'baileys', address: '+254700300001' })).channel.id;
  [admin, viewer] = await Promise.all([createTenantUser(h, t.tenant.id, 'admin'), createTenantUser(h, t.tenant.id, 'viewer')]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function signInToChannels(page: Page, cred: Credentials): Promise<void> {
  await page.goto(`${h.url}/admin/inbox`);
  await page.getByTestId('inbox-login-tenant').fill(cred.tenant!);
  await page.getByTestId('inbox-login-email').fill(cred.email);
  await page.getByTestId('inbox-login-password').fill(cred.password);
  await page.getByTestId('inbox-login-submit').click();
  await page.getByTestId('nav-channels').click();
  await page.waitForURL('**/admin/inbox/channels.html');
}

describe('Channels view: linking WhatsApp', () => {
  it('an admin links by QR code or pairing code and sees the status live', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInToChannels(page, admin);
    const card = page.locator(`[data-testid="channel"][data-id="${wa}"]`);
    await expect.poll(() => card.getAttribute('data-status')).toBe('idle');
    await card.getByTestId('channel-link').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('linking');

    fake.last().qr('2@e2e-first,k1,k2,adv');
    const qr = card.getByTestId('channel-qr');
    const first = await qrDataUrl('2@e2e-first,k1,k2,adv');
    await expect.poll(() => qr.getAttribute('src'), { timeout: 10_000 }).toBe(first);
    expect(await qr.isVisible()).toBe(true);
    fake.last().qr('2@e2e-second,k1,k2,adv');
    const second = await qrDataUrl('2@e2e-second,k1,k2,adv');
    await expect.poll(() => qr.getAttribute('src'), { timeout: 10_000 }).toBe(second);

    await card.getByTestId('channel-phone').focus();
    await page.keyboard.type('+254 712 345 678');
    await page.keyboard.press('Enter');
    await expect.poll(() => card.getByTestId('channel-pairing-code').textContent(), { timeout: 10_000 }).toBe('ABCD-1234');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'whatsapp-link-phone.png'), fullPage: true });

    fake.last().open();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    expect(await card.getByTestId('channel-status').textContent()).toBe('Connected');
    expect(await qr.isHidden()).toBe(true);
    await page.close();
  });

  it('a viewer sees each channel’s status but no link controls', async () => {
    const page = await browser.newPage();
    await signInToChannels(page, viewer);
    const card = page.locator(`[data-testid="channel"][data-id="${wa}"]`);
    await expect.poll(() => card.getAttribute('data-status')).toBe('connected');
    expect(await page.getByTestId('channel').count()).toBeGreaterThanOrEqual(3);
    expect(await card.getByTestId('channel-qr').count()).toBe(0);
    expect(await card.getByTestId('channel-link').count()).toBe(0);
    await page.close();
  });
});
