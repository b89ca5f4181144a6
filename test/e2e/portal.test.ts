import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../channels/mail-catcher';
import { CHROMIUM_PATH, launchChromium, pageErrors, screenshot, skipBrowserTests } from '../helpers/browser';
import { startHarness, type Harness } from '../helpers/harness';
import { resolvedTicket } from '../helpers/portal';
import { overrideSettings } from '../helpers/settings';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// The customer's portal in Chromium: the links are taken from the mail the contact received and opened as
// they are, against the real app listening at the address the mail names, the worker and an SMTP sink.

let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let catcher: MailCatcher;

/** A port free right now, so the public URL in the mail is known before the app starts. */
const freePort = () => new Promise<number>((resolve, reject) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  }).on('error', reject);
});

beforeAll(async () => {
  catcher = await startMailCatcher();
  const port = await freePort();
  h = await startHarness({ worker: true, env: { CRM_SMTP_URL: catcher.url, PORT: String(port), CRM_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  await h.app.listen({ port, host: '127.0.0.1' });
  t = ticketDriver(h);
});
afterAll(async () => {
  await h?.close();
  await catcher?.close();
});

if (skipBrowserTests) console.warn(`test/e2e/portal.test.ts: browser tests skipped, ${CHROMIUM_PATH} is missing (apt-get install chromium); CI always runs them`);

describe.skipIf(skipBrowserTests)('the customer portal in a browser', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let errors: string[] = [];

  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      await Promise.all(contexts.flatMap((c) => c.pages()).map((page, i) => screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`, 'portal')));
    }
    // The page runs under a policy that forbids all but its own style: any violation is an error here.
    expect(errors).toEqual([]);
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    errors = pageErrors(page);
    return page;
  }

  it('closes the ticket with the score the customer gives on the "solved" link, by keyboard alone', async () => {
    const r = await resolvedTicket(h, catcher, 'We replaced the faulty line card.');
    const page = await newPage();
    const res = await page.goto(r.links.solved);
    expect(res!.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Your request: ${r.subject}`);
    await expect(page.locator('.notice.text').textContent()).resolves.toBe('We replaced the faulty line card.');
    await expect(page.locator('section:target').getAttribute('id')).resolves.toBe('solved');
    await screenshot(page, 'resolution', 'portal');

    await page.keyboard.press('Tab'); // the first score
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Quick and friendly');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Thank you for your rating. Your request is closed.').waitFor();
    expect(await t.get(r.id)).toMatchObject({ status: 'closed', satisfaction: 4 });
    expect((await t.get(r.id)).timeline.at(-1)).toMatchObject({ action: 'confirm', actorId: expect.stringMatching(/^contact:\d+$/), note: 'Quick and friendly' });
  });

  it('reopens the ticket one tier up with the reason given on the "not solved" link', async () => {
    const r = await resolvedTicket(h, catcher);
    const page = await newPage();
    await page.goto(r.links.notSolved);
    await expect(page.locator('section:target').getAttribute('id')).resolves.toBe('not-solved');
    await page.getByLabel('What is still not working?').fill('The second charge is still on my statement');
    await page.getByRole('button', { name: 'Send: not solved' }).click();
    await page.getByText('Thank you. We have reopened your request and will continue working on it.').waitFor();
    expect(await t.get(r.id)).toMatchObject({ status: 'escalated_l2', tier: 'L2', reopens: 1 });
    expect((await t.get(r.id)).timeline.at(-1)).toMatchObject({ action: 'reject', note: 'The second charge is still on my statement' });
  });

  it('shows a clear page for an altered link and for an expired one, and changes nothing', async () => {
    const r = await resolvedTicket(h, catcher);
    const page = await newPage();
    const altered = r.links.solved.replace(`/t/${r.links.token}`, `/t/${r.links.token.slice(0, -1)}${r.links.token.endsWith('A') ? 'B' : 'A'}`);
    const notFound = await page.goto(altered);
    expect(notFound!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This link cannot be used');
    await page.getByText('This link is not valid. Please check that you opened the complete link from our e-mail.').waitFor();
    expect(await t.get(r.id)).toMatchObject({ status: 'resolved', satisfaction: null });

    const restore = await overrideSettings(h, { 'ticket.confirmationWindow': '3s' });
    const short = await resolvedTicket(h, catcher).finally(restore);
    await page.goto(short.links.solved);
    await eventually(() => t.get(short.id), (ticket) => ticket.status === 'closed');
    // The form was opened in time; it is sent after the window passed.
    await page.getByRole('radio', { name: '5' }).check();
    await page.getByRole('button', { name: 'Confirm: solved' }).click();
    await page.getByText('This link has expired. If your request still needs attention, please reply to our e-mail.').waitFor();
    expect(await t.get(short.id)).toMatchObject({ status: 'closed', satisfaction: null });
    const expired = await page.goto(short.links.solved);
    expect(expired!.status()).toBe(410);
    await screenshot(page, 'expired', 'portal');
  });
});
