/**
 * The staff inbox in real Chromium, next to a customer in the web-chat widget: the AI answers the
 * customer; the staff member signs in, sees the conversation appear live, takes it over, replies
 * (the customer sees it live: role agent, author staff), hands it back, and the AI answers the next message
 * having read the staff reply. Screenshots of the inbox at desktop and phone widths go to
 * test-results/screenshots/ (the desktop one also becomes docs/inbox.png for the README when that
 * file is missing or TEST_UPDATE_DOCS=1).
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { launchBrowser, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { staffTenant, type StaffTenant } from '../helpers/handoff.ts';

let h: Harness;
let browser: Browser;
let t: StaffTenant;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  t = await staffTenant(h);
  await h.rt.db.query(`update tenants set name = 'Savannah Lodge' where id = $1`, [t.tenant.id]);
  await h.rt.db.query(`update tenant_users set name = 'Achieng O.' where id = $1`, [t.users.staff.id]);
  // Two SMS conversations so the list has some life: one the AI handles, one asking for a person.
  h.gemini.setReply(() => ({ text: 'Yes, we have free secure parking for guests.' }));
  await h.twilioSms(t, '+254700111222', 'Do you have parking?');
  await h.twilioSms(t, '+254700333444', 'Can I speak to the manager about my bill?');
  await h.twilio.waitFor(2);
  await h.rt.db.query(`update customers set name = case handle when '+254700111222' then 'Otieno K.' else 'Grace W.' end where tenant_id = $1`, [t.tenant.id]);
});
afterAll(async () => {
  await t?.stop();
  await browser?.close();
  await h?.close();
});

// The AI's messages: role agent, not written by staff (staff replies carry data-author="staff").
const agentMessages = (p: Page) => p.locator('[data-testid="aizalo-message"][data-role="agent"]:not([data-author="staff"])');

describe('staff inbox with a live web-chat customer', () => {
  it('takes over, replies live to the customer, hands back, and the AI answers again', async () => {
    h.groq.setReply((req) =>
      JSON.stringify(req).includes('[staff member]')
        ? { text: 'Your table for four at 7pm on Saturday is noted — see you then!' }
        : { text: 'Karibu Savannah Lodge! How can I help?' },
    );
    const customer = await browser.newPage();
    await customer.goto(`${h.url}/chat/${t.tenant.slug}`);
    await customer.getByTestId('aizalo-input').fill('Hello, do you have space for dinner on Saturday?');
    await customer.getByTestId('aizalo-send').click();
    await agentMessages(customer).first().waitFor({ timeout: 15_000 });
    // The customer's lead and booking (tables of the agents area) show in the profile panel.
    const [cust] = await h.rt.db.query<{ id: string }>(`select id from customers where tenant_id = $1 and handle like 'web:%'`, [t.tenant.id]);
    await h.rt.db.query(
      `insert into leads (tenant_id, customer_id, stage, score, value_cents, interest) values ($1, $2, 'qualified', 70, 1200000, 'Dinner for four')`,
      [t.tenant.id, cust!.id],
    );
    const [res] = await h.rt.db.query<{ id: string }>(`insert into resources (tenant_id, name, kind) values ($1, 'Garden table 4', 'table') returning id`, [t.tenant.id]);
    await h.rt.db.query(
      `insert into bookings (tenant_id, resource_id, customer_id, during, party_size) values ($1, $2, $3, tstzrange('2026-11-28 16:00+00', '2026-11-28 18:00+00'), 4)`,
      [t.tenant.id, res!.id, cust!.id],
    );

    const staff = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await staff.goto(`${h.url}/admin/inbox`);
    await staff.getByTestId('inbox-login-tenant').fill(t.tenant.slug);
    await staff.getByTestId('inbox-login-email').fill(t.users.staff.email);
    await staff.getByTestId('inbox-login-password').fill(t.users.staff.password);
    await staff.getByTestId('inbox-login-submit').click();
    const item = staff.getByTestId('inbox-item').filter({ hasText: 'Web chat' });
    await item.waitFor();
    expect(await staff.getByTestId('inbox-item').count()).toBe(3);
    expect(await staff.getByTestId('inbox-filter-needs_human').textContent()).toContain('(1)');
    await item.click();
    await staff.locator('#profile', { hasText: 'Dinner for four · qualified' }).waitFor();
    expect(await staff.locator('#profile').textContent()).toContain('Garden table 4');
    await staff.locator('[data-testid="inbox-message"][data-sender="ai"]').first().waitFor();
    expect(await staff.getByTestId('inbox-owner').textContent()).toBe('The AI is answering');

    // A new customer message shows up live in the open conversation.
    await customer.getByTestId('aizalo-input').fill('We are four people');
    await customer.getByTestId('aizalo-send').click();
    await staff.locator('[data-testid="inbox-message"][data-sender="customer"]', { hasText: 'We are four people' }).waitFor();
    await agentMessages(customer).nth(1).waitFor({ timeout: 15_000 });

    await staff.getByTestId('inbox-takeover').click();
    await staff.getByTestId('inbox-owner').filter({ hasText: 'Handled by you' }).waitFor();
    await staff.getByTestId('inbox-composer').fill('Hi, this is Achieng from the restaurant. Saturday 7pm works for four!');
    await staff.getByTestId('inbox-composer').press('Enter');
    const staffMsg = customer.locator('[data-testid="aizalo-message"][data-role="agent"][data-author="staff"]');
    await staffMsg.waitFor({ timeout: 10_000 });
    expect(await staffMsg.textContent()).toBe('Hi, this is Achieng from the restaurant. Saturday 7pm works for four!');

    // While a person owns the conversation, the AI stays quiet.
    const groqBefore = h.groq.requests.length;
    await customer.getByTestId('aizalo-input').fill('Perfect, thank you!');
    await customer.getByTestId('aizalo-send').click();
    await staff.locator('[data-testid="inbox-message"][data-sender="customer"]', { hasText: 'Perfect, thank you!' }).waitFor();
    expect(h.groq.requests.length).toBe(groqBefore);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await staff.screenshot({ path: `${SCREENSHOT_DIR}/inbox-desktop.png` });
    // The README's screenshot: written when missing or with TEST_UPDATE_DOCS=1 (a normal run
    // leaves the committed file alone, so the working tree stays clean).
    if (!existsSync('docs/inbox.png') || process.env.TEST_UPDATE_DOCS === '1') {
      mkdirSync('docs', { recursive: true });
      copyFileSync(`${SCREENSHOT_DIR}/inbox-desktop.png`, 'docs/inbox.png');
    }
    await staff.setViewportSize({ width: 390, height: 844 });
    await staff.screenshot({ path: `${SCREENSHOT_DIR}/inbox-phone-conversation.png` });
    await staff.keyboard.press('Escape'); // leave the composer
    await staff.keyboard.press('Escape'); // back to the list
    await staff.getByTestId('inbox-item').first().waitFor();
    await staff.screenshot({ path: `${SCREENSHOT_DIR}/inbox-phone-list.png` });
    await staff.getByTestId('inbox-item').filter({ hasText: 'Web chat' }).click();
    await staff.setViewportSize({ width: 1280, height: 800 });

    await staff.getByTestId('inbox-handback').click();
    await staff.getByTestId('inbox-owner').filter({ hasText: 'The AI is answering' }).waitFor();
    await customer.getByTestId('aizalo-input').fill('Can we also get a cake?');
    await customer.getByTestId('aizalo-send').click();
    await agentMessages(customer).nth(2).waitFor({ timeout: 15_000 });
    expect(await agentMessages(customer).nth(2).textContent()).toBe('Your table for four at 7pm on Saturday is noted — see you then!');
    expect(JSON.stringify(h.groq.requests.at(-1))).toContain('Saturday 7pm works for four');
    await customer.close();
    await staff.close();
  });

  it('shows a viewer the inbox read-only', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${h.url}/admin/inbox`);
    await page.getByTestId('inbox-login-tenant').fill(t.tenant.slug);
    await page.getByTestId('inbox-login-email').fill(t.users.viewer.email);
    await page.getByTestId('inbox-login-password').fill(t.users.viewer.password);
    await page.getByTestId('inbox-login-submit').click();
    await page.getByTestId('inbox-item').filter({ hasText: 'Web chat' }).click();
    await page.getByTestId('inbox-message').first().waitFor();
    expect(await page.getByTestId('inbox-takeover').isDisabled()).toBe(true);
    expect(await page.getByTestId('inbox-send').isDisabled()).toBe(true);
    await page.close();
  });
});
