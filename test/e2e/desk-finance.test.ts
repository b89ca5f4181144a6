import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles';
import { launchChromium, pageErrors, screenshot, skipBrowserTests } from '../helpers/browser';
import { contractDriver } from '../helpers/contracts';
import { setUpCustomer } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { reportInputs } from '../helpers/report-inputs';
import { ticketDriver } from '../helpers/tickets';

// The customer cockpit and the Finance page in Chromium, checked against the API's own answers and hand counts.
let h: Harness;
let base: string;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ worker: true });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  if (!skipBrowserTests) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function signedIn(role: Role) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${base}/console`);
  await page.getByLabel('API key').fill(h.users[role].auth.authorization.slice('Bearer '.length));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#user-name', { hasText: `Test ${role}` }).waitFor();
  return { page, errors, close: () => context.close() };
}

/** A table's cells row by row, as the page shows them. */
const cells = (page: Page, table: string) => page.locator(`#${table} tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
const api = async (url: string, role: Role = 'manager') => {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: h.users[role].auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(skipBrowserTests)('customer cockpit in Chromium', () => {
  it('finds a customer by name and shows its open tickets, orders, contracts, aging, ABC class and contacts, each row linking to its page', { timeout: 120_000 }, async () => {
    const t = ticketDriver(h);
    const o = orderDriver(h);
    const c = contractDriver(h);
    const name = `Cockpit Werke ${uniq()}`;
    const customer = await setUpCustomer(h, { name, contacts: [{ name: 'Greta Buyer', email: 'greta@cockpit.example', phone: '+49 30 1234' }] });
    const ticket = await t.open({ customerId: customer.id, priority: 'high', subject: 'Router dead' });
    const product = await o.product({ stock: 10, listPrice: '10.00' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 2 }], paymentTerms: 'cod' });
    await o.reaches(order.id, 'fulfilling');
    const contract = await c.active({ customerId: customer.id, targetValue: '30000.00' });
    // Invoices: 120.00 due 9 days ago (fee 3.24) and 75.50 due 45 days ago (fee 75.50 × 45 × 0.3 % = 10.19), issued 40 and 76 days ago.
    await reportInputs(h).invoice(customer.id, { amount: '120.00', dueOn: daysFromNow(-9) });
    await reportInputs(h).invoice(customer.id, { amount: '75.50', dueOn: daysFromNow(-45) });

    const { page, errors, close } = await signedIn('agent');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await page.getByLabel('Find a customer').fill(name);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    expect(page.url()).toBe(`${base}/console#/customers/${customer.id}`);

    const overview = await api(`/customers/${customer.id}/overview`);
    // Rows link to their pages: tickets exist, orders and contracts are the record pages' hashes.
    const link = (table: string, id: string) => page.locator(`#${table}`).getByRole('link', { name: id, exact: true }).getAttribute('href');
    expect(await link('cockpit-tickets-table', ticket.id)).toBe(`#/tickets/${ticket.id}`);
    expect(await link('cockpit-orders-table', order.id)).toBe(`#/orders/${order.id}`);
    expect(await link('cockpit-contracts-table', contract.id)).toBe(`#/contracts/${contract.id}`);
    expect((await cells(page, 'cockpit-orders-table'))[0]!.slice(1, 4)).toEqual(['fulfilling', 'cod', '20.00']);
    expect((await cells(page, 'cockpit-contracts-table'))[0]!.slice(1, 8)).toEqual(['active', overview.contracts[0].type, overview.contracts[0].validTo.slice(0, 10), '30000.00', '0.00', '0.00', '30000.00']);
    // Aging as the API counts it, and by hand: 120.00 + 3.24 in 0–30, 75.50 + 10.19 in 31–60.
    expect(await cells(page, 'cockpit-aging')).toEqual(Object.entries(overview.receivables.buckets as Record<string, { invoices: number; outstanding: string; lateFees: string; total: string }>)
      .map(([bucket, b]) => [{ '0-30': '0–30 days', '31-60': '31–60 days', '61-90': '61–90 days', '>90': 'over 90 days' }[bucket], String(b.invoices), b.outstanding, b.lateFees, b.total]));
    expect(overview.receivables.buckets['0-30']).toEqual({ invoices: 1, outstanding: '120.00', lateFees: '3.24', total: '123.24' });
    expect(overview.receivables.buckets['31-60']).toEqual({ invoices: 1, outstanding: '75.50', lateFees: '10.19', total: '85.69' });
    expect(await page.locator('#cockpit-receivables-total').textContent()).toBe('208.93');
    // ABC: 195.50 invoiced within the year puts the customer in the class the ABC report gives it.
    expect(overview.abc).toMatchObject({ revenue: '195.50' });
    expect(await page.locator('#customer-abc').textContent()).toContain(`${overview.abc.class} revenue 195.50`);
    expect(await page.locator('#customer-contacts').textContent()).toBe('Greta Buyer · +49 30 1234 · greta@cockpit.example');
    // An agent has no Finance page, so no link to it.
    expect(await page.getByRole('link', { name: 'Open in Finance' }).count()).toBe(0);
    await screenshot(page, '30-customer-cockpit');

    // The ticket link opens the ticket page.
    await page.locator('#cockpit-tickets-table').getByRole('link', { name: ticket.id }).click();
    await page.getByRole('heading', { name: `Ticket ${ticket.id}`, level: 1 }).waitFor();
    // And the ticket page leads back to the customer's cockpit.
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    expect(errors).toEqual([]);
    await close();
  });
});

describe.skipIf(skipBrowserTests)('finance page in Chromium', () => {
  it('lists open invoices with late fees as of a chosen day, records a payment and shows its allocation', { timeout: 120_000 }, async () => {
    const name = `Finance Kunde ${uniq()}`;
    const customer = await setUpCustomer(h, { name });
    const rows = reportInputs(h);
    // 120.00 due 31 Aug and 200.00 due 30 Sep 2026: on 9 Sep the first is 9 days overdue (fee 3.24, SPEC §6), the second not due.
    const first = await rows.invoice(customer.id, { amount: '120.00', dueOn: '2026-08-31' });
    const second = await rows.invoice(customer.id, { amount: '200.00', dueOn: '2026-09-30' });

    const { page, errors, close } = await signedIn('finance');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Finance' }).click();
    await page.getByRole('heading', { name: 'Finance', level: 1 }).waitFor();
    await page.getByLabel('Amounts as of').fill('2026-09-09');
    await page.getByLabel('Customer id').fill(customer.id);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#finance-list[data-loaded="2026-09-09"] #finance-invoices').waitFor();
    // Newest issued first, as GET /invoices lists them; the page shows the API's figures for the day.
    const listed = await api(`/invoices?status=open&customerId=${customer.id}&asOf=2026-09-09`, 'finance');
    expect(await cells(page, 'finance-invoices')).toEqual(listed.items.map((i: Record<string, string | number>) =>
      [i.id, i.customerId, i.issuedOn, i.dueOn, i.amount, i.paidAmount, String(i.daysOverdue), i.lateFee, i.amountDue]));
    expect(await cells(page, 'finance-invoices')).toEqual([
      [second, customer.id, '2026-08-31', '2026-09-30', '200.00', '0.00', '0', '0.00', '200.00'],
      [first, customer.id, '2026-08-01', '2026-08-31', '120.00', '0.00', '9', '3.24', '123.24'],
    ]);
    expect(await page.locator('#finance-total').textContent()).toBe('2 open invoices: late fees 3.24, amount due 323.24');
    // The customer's aging on 9 Sep: both open invoices are 0–30 days overdue (the second not yet due), 320.00 + 3.24.
    expect(await cells(page, 'finance-aging-table')).toEqual([
      ['0–30 days', '2', '320.00', '3.24', '323.24'], ['31–60 days', '0', '0.00', '0.00', '0.00'],
      ['61–90 days', '0', '0.00', '0.00', '0.00'], ['over 90 days', '0', '0.00', '0.00', '0.00'],
    ]);
    expect(await page.locator('#finance-aging-total').textContent()).toBe('323.24 in 2 invoices');
    await screenshot(page, '31-finance-open-invoices');

    // 200.00 received on 9 Sep: the oldest invoice first, with its fee (120.00 + 3.24), the rest, 76.76, to the second.
    await page.getByLabel('Customer', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('radio', { name: new RegExp(name) }).check();
    await page.getByLabel('Amount', { exact: true }).fill('200.00');
    await page.getByLabel('Received on').fill('2026-09-09');
    await page.getByLabel('Reference').fill('BANK-4711');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.locator('#payment-allocation').waitFor();
    expect(await cells(page, 'payment-allocation')).toEqual([[first, '120.00', '3.24', '123.24'], [second, '76.76', '0.00', '76.76']]);
    expect(await page.locator('#payment-unallocated').textContent()).toBe('Unallocated (on account): 0.00');
    // The list follows: only the second invoice is open, with 123.24 of 200.00 left on 9 Sep.
    await page.locator('#finance-invoices tbody tr').first().filter({ hasText: '123.24' }).waitFor();
    expect(await cells(page, 'finance-invoices')).toEqual([[second, customer.id, '2026-08-31', '2026-09-30', '200.00', '76.76', '0', '0.00', '123.24']]);
    await screenshot(page, '32-finance-payment-allocation');
    // The payment is the API's: one payment with exactly this split.
    const paid = await api(`/invoices/${first}`, 'finance');
    expect(paid).toMatchObject({ status: 'paid', paidAmount: '120.00', lateFeePaid: '3.24', paidOn: '2026-09-09' });
    expect(errors).toEqual([]);
    await close();
  });

  it('shows a manager the invoices and aging but no payment form, contract administration the form but no aging, and keeps the page from roles that read no receivables', { timeout: 60_000 }, async () => {
    const manager = await signedIn('manager');
    await manager.page.goto(`${base}/console#/finance`);
    await manager.page.locator('#finance-list[data-loaded]').waitFor();
    expect(await manager.page.locator('#payment-form').count()).toBe(0);
    expect(await manager.page.locator('#finance-aging-table').count()).toBe(1);
    await manager.close();
    // Contract administration allocates payments but reads no receivables report: no aging, and no refusal shown.
    const admin = await signedIn('contract_admin');
    await admin.page.goto(`${base}/console#/finance`);
    await admin.page.locator('#finance-list[data-loaded]').waitFor();
    expect(await admin.page.locator('#finance-aging').count()).toBe(0);
    expect(await admin.page.locator('#payment-form').count()).toBe(1);
    expect(admin.errors).toEqual([]);
    await admin.close();
    const agent = await signedIn('agent');
    expect(await agent.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Finance' }).count()).toBe(0);
    await agent.page.goto(`${base}/console#/finance`);
    await agent.page.waitForURL((url) => url.hash !== '#/finance');
    await agent.close();
  });
});
