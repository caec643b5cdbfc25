/**
 * The platform admin in real Chromium: the owner signs in, sees the MRR chart (uPlot canvas) and the
 * tenants list, suspends and restores a tenant; a sales rep signs in and sees only their own
 * tenants and commissions. Screenshots go to test-results/screenshots/ (the overview also becomes
 * docs/admin-overview.png for the README when that file is missing or TEST_UPDATE_DOCS=1).
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPayment } from '../../core/services/platform/payments.ts';
import { addMonths, monthOf } from '../../core/services/platform/months.ts';
import { createPlatformUser, type Credentials } from '../helpers/auth.ts';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let browser: Browser;
let owner: Credentials;
let repA: Credentials;
const ids: Record<string, string> = {};

/** Monthly payments for `slug` from `from` to `to` months ago (0 = this month). */
async function pay(slug: string, planId: string, feeKes: number, from: number, to: number) {
  const now = monthOf(new Date());
  for (let ago = from; ago >= to; ago--) {
    const start = new Date(`${addMonths(now, -ago)}T00:00:00Z`);
    await recordPayment(h.rt.db, { tenantId: ids[slug]!, reference: `${slug}-${ago}`, amountCents: feeKes * 100, method: 'mpesa', planId, paidAt: start, periodStart: start });
  }
}

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  owner = await createPlatformUser(h, 'owner', { email: 'owner@aizalo.test' });
  repA = await createPlatformUser(h, 'sales', { email: 'wanjiku@aizalo.test', phone: '+254711000222' });
  const repB = await createPlatformUser(h, 'sales', { email: 'brian@aizalo.test' });
  await h.rt.db.query(`update platform_users set name = case email when 'wanjiku@aizalo.test' then 'Wanjiku M.' when 'brian@aizalo.test' then 'Brian O.' else name end`);
  const seed: Array<[string, string, string, string | undefined, string]> = [
    ['savannah-lodge', 'Savannah Lodge', 'hotels', repA.id, 'growth'],
    ['mama-oliech', 'Mama Oliech Restaurant', 'restaurants', repA.id, 'starter'],
    ['kilimani-clinic', 'Kilimani Clinic', 'medical', repB.id, 'professional'],
    ['westlands-motors', 'Westlands Motors', 'car_dealers', undefined, 'professional'],
    ['tuskys-hardware', 'Tuskys Hardware', 'hardware', repB.id, 'starter'],
    ['glow-salon', 'Glow Salon', 'beauty', repA.id, 'starter'],
  ];
  for (const [slug, name, industry, rep, planId] of seed) {
    const t = await h.tenant({ slug, name, industry, assignedSalesRepId: rep, planId, status: slug === 'glow-salon' ? 'trial' : 'active' });
    ids[slug] = t.tenant.id;
  }
  await pay('savannah-lodge', 'growth', 15000, 11, 0);
  await pay('mama-oliech', 'starter', 2500, 8, 0);
  await pay('kilimani-clinic', 'professional', 7500, 10, 3);
  await pay('westlands-motors', 'professional', 7500, 6, 0);
  await pay('tuskys-hardware', 'starter', 2500, 4, 0);
  // Some LLM traffic for the health panel: Gemini with two failures, Groq for real-time turns.
  await h.rt.db.query(`insert into ai_usage (tenant_id, provider, model, class, latency_ms, outcome)
    select $1, p, m, c, 800, o from (values ('gemini', 'gemini-2.5-flash', 'standard', 'ok', 38), ('gemini', 'gemini-2.5-flash', 'standard', 'server', 2),
      ('groq', 'llama-3.3-70b-versatile', 'realtime', 'ok', 6)) v(p, m, c, o, n), generate_series(1, n)`, [ids['savannah-lodge']]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function signIn(page: Page, cred: Credentials) {
  await page.goto(`${h.url}/admin`);
  await page.getByTestId('login-email').fill(cred.email);
  await page.getByTestId('login-password').fill(cred.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('who').filter({ hasText: cred.email }).waitFor();
}

describe('platform admin', () => {
  it('owner: MRR chart, tenants list, suspend and restore', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await signIn(page, owner);
    // Current MRR: 15,000 + 2,500 + 7,500 + 2,500 (Kilimani churned three months ago).
    await expect.poll(() => page.getByTestId('kpi-mrr').textContent()).toBe('KES 27,500');
    await page.locator('[data-testid="mrr-chart"] canvas').first().waitFor();
    expect(await page.locator('[data-testid="movements"] tbody tr').count()).toBe(12);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const shot = path.join(SCREENSHOT_DIR, 'admin-overview.png');
    await page.screenshot({ path: shot, fullPage: true });
    // The README's screenshot: written when missing or with TEST_UPDATE_DOCS=1 (a normal run
    // leaves the committed file alone, so the working tree stays clean).
    if (!existsSync('docs/admin-overview.png') || process.env.TEST_UPDATE_DOCS === '1') {
      mkdirSync('docs', { recursive: true });
      copyFileSync(shot, 'docs/admin-overview.png');
    }

    await page.getByTestId('nav-tenants').click();
    const rows = page.getByTestId('tenant-row');
    await expect.poll(() => rows.count()).toBe(6);
    await page.getByTestId('tenant-search').fill('lodge');
    await page.getByTestId('tenant-search').press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId('tenant-search').fill('');
    await page.getByTestId('tenant-search').press('Enter');
    await expect.poll(() => rows.count()).toBe(6);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-tenants.png'), fullPage: true });

    await page.locator('[data-testid="tenant-row"][data-slug="westlands-motors"]').click();
    await page.getByTestId('suspend').click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('suspended');
    const [s] = await h.rt.db.query<{ status: string }>('select status from tenants where id = $1', [ids['westlands-motors']]);
    expect(s!.status).toBe('suspended');
    await page.getByTestId('restore').click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('active');
    const [r] = await h.rt.db.query<{ status: string }>('select status from tenants where id = $1', [ids['westlands-motors']]);
    expect(r!.status).toBe('active');
    await page.close();
  });

  it('a sales rep sees only their own tenants and commissions', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, repA);
    expect(await page.getByTestId('nav-overview').isHidden()).toBe(true);
    const rows = page.getByTestId('tenant-row');
    await expect.poll(() => rows.count()).toBe(3);
    const slugs = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.slug).sort());
    expect(slugs).toEqual(['glow-salon', 'mama-oliech', 'savannah-lodge']);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-rep-tenants.png'), fullPage: true });

    await page.getByTestId('nav-sales').click();
    await page.getByTestId('commissions').waitFor();
    const tenantsInCommissions = await page.locator('[data-testid="commissions"] tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(tenantsInCommissions)).toEqual(new Set(['Savannah Lodge', 'Mama Oliech Restaurant']));
    expect(await page.locator('[data-testid="reps-table"] tbody tr').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-rep-sales.png'), fullPage: true });
    await page.close();
  });

  it('phone width: the overview and the tenants list render without sideways scrolling, and a tenant opens', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await signIn(page, owner);
    await expect.poll(() => page.getByTestId('kpi-mrr').textContent()).toBe('KES 27,500');
    const canvas = page.locator('[data-testid="mrr-chart"] canvas').first();
    await canvas.waitFor();
    // The chart follows the phone's width instead of a fixed desktop size.
    expect((await canvas.boundingBox())!.width).toBeLessThanOrEqual(375);
    expect(await pageWidth()).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-phone-overview.png'), fullPage: true });

    await page.getByTestId('nav-tenants').click();
    const rows = page.getByTestId('tenant-row');
    await expect.poll(() => rows.count()).toBe(6);
    expect(await pageWidth()).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-phone-tenants.png'), fullPage: true });

    await page.locator('[data-testid="tenant-row"][data-slug="savannah-lodge"]').click();
    const detail = page.getByTestId('tenant-detail');
    await detail.getByRole('heading', { name: /Savannah Lodge/ }).waitFor();
    expect(await page.getByTestId('detail-status').textContent()).toBe('active');
    await page.getByTestId('suspend').waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-phone-tenant.png'), fullPage: true });
    await page.close();
  });
});
