/**
 * The tenant console (/app) in real Chromium at phone width (375 px) against the real app:
 * sign-in with `?tenant=` pre-filling the business, every navigation link opening its section's
 * heading (and deep links surviving a reload), write controls hidden from a viewer, times in the
 * tenant's timezone (a 16:00 UTC booking shows 7:00 PM in Nairobi), and the Catalog, Knowledge
 * and Bookings flows writing through the real API. Screenshots of every section at 375 px and
 * 1280 px go to test-results/screenshots/console-<section>-{phone,desktop}.png; two of them become
 * docs/console-dashboard-phone.png and docs/console-bookings-desktop.png for the README when
 * missing or with TEST_UPDATE_DOCS=1.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { staffTenant, type StaffTenant } from '../helpers/handoff.ts';

const SECTIONS = ['Dashboard', 'Conversations', 'Bookings', 'Catalog', 'Knowledge', 'Channels', 'Team', 'Settings'] as const;
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 860 };

let h: Harness;
let browser: Browser;
let t: StaffTenant;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  t = await staffTenant(h);
  await h.rt.db.query(`update tenants set name = 'Savannah Lodge' where id = $1`, [t.tenant.id]);
});
afterAll(async () => {
  await t?.stop();
  await browser?.close();
  await h?.close();
});

type Who = { email: string; password: string };

/** Open /app?tenant=SLUG, check the pre-fill, sign in by label and button name. */
async function signIn(page: Page, who: Who, at = '/app'): Promise<void> {
  await page.goto(`${h.url}${at}${at.includes('?') ? '&' : '?'}tenant=${t.tenant.slug}`);
  expect(await page.getByLabel('Business', { exact: true }).inputValue()).toBe(t.tenant.slug);
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true, level: 1 });
/** Copy a screenshot to docs/ for the README: when missing or with TEST_UPDATE_DOCS=1 (a normal run leaves the committed file alone). */
function toDocs(file: string): void {
  mkdirSync('docs', { recursive: true });
  if (!existsSync(`docs/${file}`) || process.env.TEST_UPDATE_DOCS === '1') copyFileSync(path.join(SCREENSHOT_DIR, file), `docs/${file}`);
}
/** Wait until no list in the view is still loading. */
const loaded = (page: Page) => expect.poll(() => page.locator('[data-state="loading"], [role="status"]:text("Loading")').count(), { timeout: 10_000 }).toBe(0);

describe('tenant console at 375 px', () => {
  it('signs in with the business pre-filled; every nav link opens its heading; deep links survive a reload; screenshots', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await signIn(page, t.users.owner);
    await heading(page, 'Dashboard').waitFor();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const name of SECTIONS) {
      await nav(page, name).click();
      await heading(page, name).waitFor();
      expect(await nav(page, name).getAttribute('aria-current')).toBe('page');
      await loaded(page);
      const file = (w: string) => path.join(SCREENSHOT_DIR, `console-${name.toLowerCase()}-${w}.png`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file('phone'), fullPage: true });
      await page.setViewportSize(DESKTOP);
      await page.screenshot({ path: file('desktop'), fullPage: true });
      await page.setViewportSize(PHONE);
      // Nothing wider than the phone: no horizontal scrolling at 375 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    }
    await page.goto(`${h.url}/app/catalog`);
    await heading(page, 'Catalog').waitFor();
    await page.goBack();
    await heading(page, 'Settings').waitFor();
    // The README's two screenshots: written when missing or with TEST_UPDATE_DOCS=1.
    toDocs('console-dashboard-phone.png');
    await page.close();
  }, 90_000);

  it('hides write controls from a viewer (and shows them to the owner)', async () => {
    const checks: Array<[string, string]> = [['Catalog', 'Add item'], ['Knowledge', 'Add to knowledge'], ['Channels', 'Add SMS number'], ['Team', 'Send invite']];
    const seen = async (who: Who) => {
      const page = await browser.newPage({ viewport: PHONE });
      await signIn(page, who);
      const counts: number[] = [];
      for (const [section, button] of checks) {
        await nav(page, section).click();
        await heading(page, section).waitFor();
        await loaded(page);
        counts.push(await page.getByRole('button', { name: button, exact: true }).count());
      }
      await page.close();
      return counts;
    };
    expect(await seen(t.users.owner)).toEqual([1, 1, 1, 1]);
    expect(await seen(t.users.viewer)).toEqual([0, 0, 0, 0]);
  }, 90_000);

  it('shows a conversation’s booking in the tenant’s timezone (16:00 UTC → 7:00 PM in Nairobi)', async () => {
    await h.twilioSms(t, '+254700555666', 'Is my table booked?');
    await h.settled();
    const [cust] = await h.rt.db.query<{ id: string }>(`select id from customers where tenant_id = $1 and handle = '+254700555666'`, [t.tenant.id]);
    const [res] = await h.rt.db.query<{ id: string }>(`insert into resources (tenant_id, name, kind) values ($1, 'Terrace table', 'table') returning id`, [t.tenant.id]);
    await h.rt.db.query(`insert into bookings (tenant_id, resource_id, customer_id, during, party_size) values ($1, $2, $3, tstzrange('2026-11-28 16:00+00', '2026-11-28 18:00+00'), 2)`,
      [t.tenant.id, res!.id, cust!.id]);
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, t.users.staff, '/app/conversations');
    await page.getByTestId('inbox-item').filter({ hasText: '+254700555666' }).click();
    await page.locator('#profile', { hasText: 'Terrace table' }).waitFor();
    const text = await page.locator('#profile').textContent();
    expect(text).toContain('7:00 PM');
    expect(text).not.toContain('4:00 PM');
    await page.close();
  }, 90_000);

  it('Catalog: adds an item with a floor, in KES (stored in cents), and lists its recent offers', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await signIn(page, t.users.owner, '/app/catalog');
    await heading(page, 'Catalog').waitFor();
    await page.getByLabel('Item or service').fill('Deluxe room');
    await page.getByLabel('List price (KES)').fill('12,000');
    await page.getByLabel('Never go below (KES)').fill('9000');
    await page.getByLabel('Step per round (KES)').fill('500');
    await page.getByLabel('Max rounds').fill('3');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByTestId('notice').filter({ hasText: 'never offer less than KES 9,000' }).waitFor();
    const [rule] = await h.rt.db.query<{ id: string; list_cents: string; floor_cents: string; step_cents: string; max_rounds: number }>(
      `select id, list_cents, floor_cents, step_cents, max_rounds from price_rules where tenant_id = $1 and product = 'Deluxe room'`, [t.tenant.id]);
    expect([Number(rule!.list_cents), Number(rule!.floor_cents), Number(rule!.step_cents), rule!.max_rounds]).toEqual([1_200_000, 900_000, 50_000, 3]);
    const item = page.getByTestId('catalog-item').filter({ hasText: 'Deluxe room' });
    expect(await item.getByTestId('floor').textContent()).toBe('KES 9,000');

    // A floor above the list price is refused in the form, and nothing changes.
    await page.getByLabel('Item or service').fill('Suite');
    await page.getByLabel('List price (KES)').fill('10000');
    await page.getByLabel('Never go below (KES)').fill('11000');
    await page.getByLabel('Step per round (KES)').fill('500');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByTestId('notice').filter({ hasText: 'cannot be above the list price' }).waitFor();
    expect((await h.rt.db.query(`select 1 from price_rules where tenant_id = $1 and product = 'Suite'`, [t.tenant.id])).length).toBe(0);

    const [cust] = await h.rt.db.query<{ id: string }>(`select id from customers where tenant_id = $1 limit 1`, [t.tenant.id]);
    await h.rt.db.query(`insert into price_offers (tenant_id, rule_id, customer_id, round, customer_ask_cents, offered_cents, decision) values ($1, $2, $3, 1, 800000, 1150000, 'counter')`,
      [t.tenant.id, rule!.id, cust!.id]);
    await item.getByRole('button', { name: 'Recent offers' }).click();
    const row = item.getByTestId('offers').locator('tbody tr');
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('KES 11,500');
    expect(await row.first().textContent()).toContain('KES 8,000');
    await page.close();
  }, 90_000);

  it('Knowledge: pastes an FAQ, shows its indexing progress live until ready, and a question finds its chunk', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await signIn(page, t.users.owner, '/app/knowledge');
    await heading(page, 'Knowledge').waitFor();
    await loaded(page);
    // Record every status the document's element shows, to prove progress is displayed.
    await page.evaluate(() => {
      const w = window as unknown as { statuses: string[] };
      w.statuses = [];
      new MutationObserver(() => {
        for (const el of Array.from(document.querySelectorAll('[data-testid="knowledge-doc"][data-title="Parking FAQ"]'))) {
          const s = el.getAttribute('data-status') ?? '';
          if (w.statuses.at(-1) !== s) w.statuses.push(s);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByLabel('Title').fill('Parking FAQ');
    await page.getByLabel('Text, Markdown or FAQ').fill('Q: Do you have parking?\nA: Yes, free secure parking for every guest, behind the lodge.');
    await page.getByRole('button', { name: 'Add to knowledge' }).click();
    await page.getByTestId('notice').filter({ hasText: 'indexing has started' }).waitFor();
    await page.locator('[data-testid="knowledge-doc"][data-title="Parking FAQ"][data-status="ready"]').waitFor({ timeout: 30_000 });
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses.at(-1)).toBe('ready');
    expect(statuses.length).toBeGreaterThan(1); // it showed at least one state before ready
    await page.getByLabel('Question', { exact: true }).fill('is there parking?');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('knowledge-chunk').first().waitFor();
    expect(await page.getByTestId('knowledge-chunks').textContent()).toContain('free secure parking');
    await page.close();
  }, 90_000);

  it('Bookings: creates a resource, books 7 pm Nairobi (16:00 UTC), refuses a double booking, moves and cancels', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    page.on('dialog', (d) => void d.accept());
    await signIn(page, t.users.owner, '/app/bookings');
    await heading(page, 'Bookings').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Chair 1');
    await page.getByLabel('Slot length (minutes)').fill('60');
    await page.getByRole('button', { name: 'Add resource' }).click();
    await page.getByTestId('resource').filter({ hasText: 'Chair 1' }).waitFor();

    const form = page.getByRole('form', { name: 'New booking' });
    await form.getByLabel('Resource').selectOption({ label: 'Chair 1' });
    await form.getByLabel('Start').fill('19:00');
    await form.getByLabel('End').fill('20:00');
    await form.getByLabel('Customer name').fill('Wanjiru M.');
    await form.getByRole('button', { name: 'Book' }).click();
    const booking = page.getByTestId('booking').filter({ hasText: 'Wanjiru M.' });
    await booking.waitFor();
    expect(await booking.getByTestId('booking-time').textContent()).toBe('7:00 PM–8:00 PM');
    const [row] = await h.rt.db.query<{ s: Date }>(`select lower(during) as s from bookings b join resources r on r.id = b.resource_id where r.name = 'Chair 1' and b.tenant_id = $1`, [t.tenant.id]);
    expect(new Date(row!.s).getUTCHours()).toBe(16);

    // The same no-double-booking guarantee as the agent: an overlap is refused and nothing is written.
    await form.getByLabel('Start').fill('19:30');
    await form.getByLabel('End').fill('20:30');
    await form.getByLabel('Customer name').fill('Second person');
    await form.getByRole('button', { name: 'Book' }).click();
    await page.locator('[data-testid="notice"].error').waitFor();
    expect((await h.rt.db.query(`select 1 from bookings b join resources r on r.id = b.resource_id where r.name = 'Chair 1' and b.tenant_id = $1`, [t.tenant.id])).length).toBe(1);

    await booking.getByRole('button', { name: 'Move' }).click();
    const move = booking.getByRole('form', { name: 'Move booking' });
    await move.getByLabel('Start').fill('20:00');
    await move.getByLabel('End').fill('21:00');
    await move.getByRole('button', { name: 'Move booking' }).click();
    await expect.poll(() => booking.getByTestId('booking-time').textContent()).toBe('8:00 PM–9:00 PM');
    // The section's desktop screenshot with a booking in it (the README shows this one).
    await page.setViewportSize(DESKTOP);
    await page.evaluate(() => window.scrollTo(0, 0)); // a full-page shot of a scrolled page repeats the sticky bar
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-bookings-desktop.png'), fullPage: true });
    toDocs('console-bookings-desktop.png');
    await page.setViewportSize(PHONE);

    await booking.getByRole('button', { name: 'Cancel booking' }).click();
    await expect.poll(() => booking.getAttribute('data-status')).toBe('canceled');
    const [after] = await h.rt.db.query<{ status: string }>(`select b.status from bookings b join resources r on r.id = b.resource_id where r.name = 'Chair 1' and b.tenant_id = $1`, [t.tenant.id]);
    expect(after!.status).toBe('canceled');
    await page.close();
  }, 90_000);
});
