import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../channels/mail-catcher';
import { users } from '../../db/schema';
import { CHROMIUM_PATH, launchChromium, pageErrors, screenshot, skipBrowserTests } from '../helpers/browser';
import { openFromNav } from '../helpers/console';
import { setUpCustomer } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';

// The console's inbox (the unread count in the header, the list, mark read, preferences) and its Mail
// page over the mail catcher, in Chromium, against the real app, worker and an SMTP sink in this process.

let h: Harness;
let catcher: MailCatcher;
let base: string;

beforeAll(async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ worker: true, env: { CRM_SMTP_URL: catcher.url }, mailCatcher: catcher });
  // Fastify answers with the address it listens on.
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await h?.close();
  await catcher?.close();
});

if (skipBrowserTests) console.warn(`test/e2e/notifications.test.ts: browser tests skipped, ${CHROMIUM_PATH} is missing (apt-get install chromium); CI always runs them`);

describe.skipIf(skipBrowserTests)('inbox and mail in the console', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const pages = contexts.flatMap((c) => c.pages());
    await Promise.all(pages.map((page, i) => screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`, 'notifications')));
  });

  const keyOf = (auth: { authorization: string }) => auth.authorization.slice('Bearer '.length);

  async function signedIn(apiKey: string, name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    errors.push(pageErrors(page));
    await page.goto(`${base}/console`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#user-name', { hasText: name }).waitFor();
    return page;
  }

  /** The header's unread count once it shows `expected` (it is polled every 5 s). */
  const badgeShows = (page: Page, expected: number, timeout = 30_000) =>
    page.locator(`#inbox-unread[data-count="${expected}"]`).waitFor({ timeout });

  async function unreadOf(role: 'supervisor' | 'agent') {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/notifications?limit=1', headers: h.users[role].auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().unread as number;
  }

  it('shows a supervisor the VIP intake in the inbox within seconds, marks it read, and shows its mail on the Mail page', { timeout: 120_000 }, async () => {
    const t = ticketDriver(h);
    const [supervisorRow] = await h.database.db.select({ email: users.email }).from(users).where(eq(users.id, h.users.supervisor.id));
    const supervisorEmail = supervisorRow!.email;

    const page = await signedIn(keyOf(h.users.supervisor.auth), 'Test supervisor');
    const before = await unreadOf('supervisor');
    await badgeShows(page, before);
    expect(await page.getByRole('link', { name: `Inbox ${before} unread` }).count()).toBe(1);

    const customer = await setUpCustomer(h, { tier: 'vip', name: `VIP ${uniq()}` });
    const subject = `Outage at the VIP site ${uniq()}`;
    const { id } = await t.open({ customerId: customer.id, subject, priority: 'high' });
    expect(id).toMatch(/^T-\d{4}-\d{6}$/);

    // The count goes up by itself (polling), without a reload or a click.
    await badgeShows(page, before + 1);
    expect(await unreadOf('supervisor')).toBe(before + 1);

    await page.getByRole('link', { name: /^Inbox/ }).click();
    await page.waitForURL(/#\/inbox$/);
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const entry = page.locator('ol.inbox > li', { hasText: `[${id}]` });
    await entry.waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.locator('.entry-subject').textContent()).toBe(`[${id}] VIP ticket: ${subject}`);
    expect(await entry.getAttribute('class')).toContain('unread');
    expect(await entry.locator('.badge.unread').textContent()).toBe('unread');
    expect(await entry.locator('.prose').textContent()).toContain(`A VIP customer (${customer.id}) opened ticket ${id}.`);
    // Newest first: the VIP entry is the first one.
    expect(await page.locator('ol.inbox > li').first().getAttribute('data-notification')).toBe(await entry.getAttribute('data-notification'));
    // A supervisor cannot turn VIP intake off: its boxes are checked and disabled; others can be changed.
    const vipRow = page.locator('tr[data-kind="ticket.vip_intake"]');
    for (const box of [vipRow.locator('input[name=inbox]'), vipRow.locator('input[name=email]')]) {
      expect(await box.isChecked()).toBe(true);
      expect(await box.isDisabled()).toBe(true);
    }
    await screenshot(page, '01-inbox-unread', 'notifications');

    // Mark read, by keyboard: the count goes down by exactly one, the entry is no longer marked.
    await entry.getByRole('button', { name: /^Mark read/ }).focus();
    await page.keyboard.press('Enter');
    await badgeShows(page, before, 10_000);
    await entry.locator('.badge.unread').waitFor({ state: 'detached' });
    expect(await entry.getAttribute('class')).not.toContain('unread');
    expect(await entry.getByRole('button', { name: /^Mark read/ }).count()).toBe(0);
    expect(await unreadOf('supervisor')).toBe(before);
    // Focus stays on the entry (on its title, once the button is gone).
    expect(await page.evaluate('document.activeElement?.textContent')).toBe(`[${id}] VIP ticket: ${subject}`);

    // Preferences: turning e-mail off for escalations is saved; the mandatory ones stay on.
    const escalated = page.getByLabel(/^E-mail: a ticket entered a tier queue/);
    await escalated.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.locator('#toast', { hasText: 'Notification preferences saved.' }).waitFor();
    const saved = (await t.call('supervisor', 'GET', '/me/notification-preferences')).preferences as Array<{ kind: string; inbox: boolean; email: boolean; mandatory: boolean }>;
    expect(saved.find((p) => p.kind === 'ticket.escalated')).toMatchObject({ inbox: true, email: false, mandatory: false });
    expect(saved.find((p) => p.kind === 'ticket.vip_intake')).toMatchObject({ inbox: true, email: true, mandatory: true });

    // Opening the entry goes to its ticket.
    await entry.getByRole('link', { name: `[${id}] VIP ticket: ${subject}` }).click();
    await page.waitForURL(new RegExp(`#/tickets/${id}$`));
    await page.locator('#ticket-status[data-status="new"]').waitFor();

    // The same notification as mail to the supervisor, caught by the catcher and listed on the Mail page.
    await openFromNav(page, 'Mail');
    await page.getByRole('heading', { name: 'Mail', level: 1 }).waitFor();
    const mail = page.locator('details.mail', { hasText: `[${id}] VIP ticket: ${subject}` }).filter({ hasText: supervisorEmail });
    await mail.waitFor({ timeout: 30_000 });
    expect(await mail.count()).toBe(1);
    const caught = catcher.messages().find((m) => m.to.includes(supervisorEmail) && m.subject.includes(`[${id}]`))!;
    expect(caught.subject).toBe(`[${id}] VIP ticket: ${subject}`);
    expect(await mail.locator('.mail-subject').textContent()).toBe(caught.subject);
    expect(await mail.locator('.mail-to').textContent()).toContain(supervisorEmail);
    expect(await mail.locator('.mail-text').isVisible()).toBe(false);
    await mail.locator('summary').focus();
    await page.keyboard.press('Enter');
    await mail.locator('.mail-text').waitFor();
    expect(await mail.locator('.mail-text').textContent()).toBe(caught.text);
    expect(caught.text).toContain(`opened ticket ${id}`);
    // Text only: the mail's HTML never becomes part of the page.
    expect(caught.html).toBeTruthy();
    expect(await page.locator('#main').innerHTML()).not.toContain(caught.html!.slice(0, 40));
    // Newest first, as received.
    const times = await page.locator('details.mail time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    await screenshot(page, '02-mail', 'notifications');

    // Signing out stops the polling.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    const polled: Request[] = [];
    page.on('request', (request) => { if (request.url().includes('/api/v1/')) polled.push(request); });
    await page.waitForTimeout(6_000);
    expect(polled.map((r) => r.url())).toEqual([]);
    expect(errors.flat(), 'errors reported by the pages').toEqual([]);
  });

  it('says so on the Mail page when no mail catcher runs', { timeout: 60_000 }, async () => {
    const page = await signedIn(keyOf(h.users.agent.auth), 'Test agent');
    // This app runs one; the browser is shown the answer an app without one gives.
    await page.route('**/api/v1/mail-catcher/messages', (route) => route.fulfill({
      status: 404, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'https://crmflow.dev/problems/not-found', title: 'Not Found', status: 404, detail: 'no mail catcher runs here: e-mail goes to CRM_SMTP_URL, or is off' }),
    }));
    await openFromNav(page, 'Mail');
    await page.locator('#no-mail-catcher', { hasText: 'No mail catcher runs here' }).waitFor();
    expect(await page.locator('details.mail').count()).toBe(0);
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
    // Every role has the inbox and its count.
    await badgeShows(page, await unreadOf('agent'));
    expect(errors.flat().filter((e) => !e.includes('404')), 'errors reported by the pages').toEqual([]);
  });
});
