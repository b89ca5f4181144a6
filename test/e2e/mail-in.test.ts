import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../db/schema';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { consoleInChromium, openFromNav } from '../helpers/console';
import { setUpCustomer } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Mail in (README "E-mail in"): mail from unknown senders waits in quarantine until an agent opens a ticket from
// it for the customer they name, or discards it; real mail goes through the inbound SMTP listener.
let h: Harness;
let base: string;
let send: (from: string, subject: string, text: string) => Promise<string>;

beforeAll(async () => {
  h = await startHarness({ worker: true, env: { CRM_INBOUND_SMTP_PORT: '0' } });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const inbound = nodemailer.createTransport({ host: '127.0.0.1', port: h.app.inboundSmtp!.port, secure: false, ignoreTLS: true });
  send = async (from, subject, text) => (await inbound.sendMail({ from, to: 'support@crm.test', subject, text })).messageId;
});
afterAll(async () => { await h?.close(); });

const quarantined = (messageId: string) => eventually(
  () => h.database.db.select().from(inboundMessages).where(eq(inboundMessages.messageId, messageId)),
  (rows) => rows[0]?.status === 'quarantined',
).then((rows) => rows[0]!);

describe.skipIf(skipBrowserTests)('mail in, in Chromium', () => {
  const chromium = consoleInChromium('mail-in', () => h, () => base);

  it('lets an agent open a ticket from a quarantined mail for the customer they pick, and discard another; a stale discard gets the API\'s words', { timeout: 120_000 }, async () => {
    const word = uniq();
    const name = `Mailhaus ${word}`;
    const customer = await setUpCustomer(h, { name });
    const first = await quarantined(await send(`Unbekannt <someone-${word}@elsewhere.test>`, `Invoice wrong ${word}`, 'The March invoice charges twice.'));
    const second = await quarantined(await send(`news-${word}@elsewhere.test`, `Newsletter ${word}`, 'Our offers this week.'));

    const page = await chromium.signIn('agent', 'Front line');
    await openFromNav(page, 'Mail in');
    await page.getByRole('heading', { name: 'Mail in', level: 1 }).waitFor();
    const entry = page.locator(`li[data-inbound="${first.id}"]`);
    await entry.waitFor();
    expect(await entry.locator('dd').allTextContents()).toEqual([
      `Unbekannt <someone-${word}@elsewhere.test>`, expect.any(String), 'quarantined', `someone-${word}@elsewhere.test is no customer's contact`,
    ]);
    await screenshot(page, '85-mail-in-quarantine');

    // A second session discards the newsletter first; this one's discard is then refused in the API's words.
    const other = await chromium.signIn('supervisor', 'Queue');
    await openFromNav(other, 'Mail in');
    const otherForm = other.locator(`#mail-in-discard-${second.id}`);
    await otherForm.getByLabel('Reason').fill('newsletter');
    await otherForm.getByRole('button', { name: 'Discard' }).click();
    await other.locator(`li[data-inbound="${second.id}"]`).waitFor({ state: 'detached' });
    const staleForm = page.locator(`#mail-in-discard-${second.id}`);
    await staleForm.getByLabel('Reason').fill('spam');
    await staleForm.getByRole('button', { name: 'Discard' }).click();
    await page.locator(`#mail-in-discard-${second.id}-error`, { hasText: `inbound message ${second.id} is discarded, not quarantined` }).waitFor();

    const form = page.locator(`#mail-in-ticket-${first.id}`);
    await form.getByLabel('Customer').fill(name);
    await form.getByRole('button', { name: 'Search' }).click();
    await form.getByRole('radio', { name: new RegExp(name) }).check();
    await form.getByLabel('Category').selectOption('billing');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByRole('button', { name: 'Open ticket' }).click();
    await entry.waitFor({ state: 'detached' });
    expect(await page.locator('#toast').textContent()).toMatch(new RegExp(`^Mail ${first.id} became ticket T-\\d{4}-\\d{6}\\.$`));

    // The API's record: the mail is processed into a ticket with what was picked; the newsletter discarded once.
    const [mail] = await h.database.db.select().from(inboundMessages).where(eq(inboundMessages.id, first.id));
    expect(mail).toMatchObject({ status: 'processed', customerId: customer.id, processedBy: h.users.agent.id });
    const ticket = await eventually(() => h.app.inject({ method: 'GET', url: `/api/v1/tickets/${mail!.ticketId}`, headers: h.users.manager.auth }), (r) => r.statusCode === 200);
    expect(ticket.json()).toMatchObject({
      customerId: customer.id, channel: 'email', category: 'billing', priority: 'high', subject: `Invoice wrong ${word}`, description: 'The March invoice charges twice.',
    });
    const [discarded] = await h.database.db.select().from(inboundMessages).where(eq(inboundMessages.id, second.id));
    expect(discarded).toMatchObject({ status: 'discarded', reason: 'newsletter', processedBy: h.users.supervisor.id });
    await ticketDriver(h).get(mail!.ticketId!);
  });
});
