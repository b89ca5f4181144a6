import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGER_FILTERS } from '../../domain/manager-filters';
import { launchChromium, pageErrors, screenshot, skipBrowserTests } from '../helpers/browser';
import { listeningHarness } from '../helpers/console';
import type { Harness } from '../helpers/harness';
import { contractDriver } from '../helpers/contracts';
import { orderDriver } from '../helpers/orders';
import { reportInputs } from '../helpers/report-inputs';
import { overrideSettings } from '../helpers/settings';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

let h: Harness;
let base: string;

beforeAll(async () => { ({ h, base } = await listeningHarness({ worker: true })); });
afterAll(async () => { await h?.close(); });

describe('dashboard files', () => {
  it('serves Chart.js from node_modules under /console/vendor/ with the console policy, and the Temporal UI settings', async () => {
    const lib = await h.app.inject({ method: 'GET', url: '/console/vendor/chart.umd.min.js' });
    expect(lib.statusCode).toBe(200);
    expect(lib.headers['content-type']).toMatch(/^text\/javascript/);
    expect(lib.headers['content-security-policy']).toContain("script-src 'self'");
    expect(lib.body.length).toBeGreaterThan(100_000);
    expect((await h.app.inject({ method: 'GET', url: '/console/vendor/../app.js' })).statusCode).not.toBe(500);
    expect((await h.app.inject({ method: 'GET', url: '/console/vendor/nope.js' })).statusCode).toBe(404);
    const settings = await h.app.inject({ method: 'GET', url: '/console/settings.json' });
    expect(settings.json()).toEqual({
      temporalUi: { url: h.config.temporal.uiUrl.replace(/\/+$/, ''), namespace: h.config.temporal.namespace },
      managerFilters: MANAGER_FILTERS,
      businessTimeZone: h.config.business.timeZone,
      numberPrefixes: { tickets: ['T'], orders: ['SO'], contracts: ['C'], customers: ['CUS'] },
    });
  });
});

const keyOf = (auth: { authorization: string }) => auth.authorization.slice('Bearer '.length);

/** The numbers of a chart's figures table, row by row, as the page shows them. */
const figures = (page: Page, chart: string) => page.locator(`#${chart}-table tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));

describe.skipIf(skipBrowserTests)('manager dashboard in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });

  async function report(name: string, range: { from: string; to: string }, more = '') {
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/reports/${name}?from=${range.from}&to=${range.to}${more}`, headers: h.users.manager.auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Every chart is drawn (a canvas Chart.js owns, with pixels) and its table equals the report API's numbers. */
  async function expectCharts(page: Page, range: { from: string; to: string }) {
    await page.locator(`.charts[data-loaded="${range.from}..${range.to}"]`).waitFor();
    // The receivables are counted to the To day.
    const [tickets, daily, orders, contracts, receivables] = await Promise.all([
      report('tickets', range), report('tickets/daily', range), report('orders', range), report('contracts', range), report('receivables', range, `&asOf=${range.to}`),
    ]);
    type Day = { byTier: Record<string, number>; byPriority: Record<string, number> };
    const counts = (values: Record<string, number>) => Object.values(values).map((n) => [String(n)]);
    const valued = (rows: unknown[]) => rows.map((c) => [String((c as { contracts: number }).contracts), (c as { value: string }).value]);
    const expected: Record<string, string[][]> = {
      'tickets-status': counts(tickets.byStatus),
      'tickets-tier': counts(tickets.byTier),
      'breaches-tier': (daily.breaches as Day[]).map((d) => ['L1', 'L2', 'L3'].map((tier) => String(d.byTier[tier]))),
      'breaches-priority': (daily.breaches as Day[]).map((d) => ['low', 'normal', 'high', 'urgent'].map((p) => String(d.byPriority[p]))),
      'queue-depth': (daily.queueDepth as Array<Record<string, number>>).map((d) => ['L1', 'L2', 'L3'].map((tier) => String(d[tier]))),
      'cycle-time': counts(tickets.cycleTimeDistribution),
      'orders-status': counts(orders.byStatus),
      receivables: Object.values(receivables.buckets as Record<string, { invoices: number; outstanding: string; lateFees: string; total: string }>)
        .map((b) => [String(b.invoices), b.outstanding, b.lateFees, b.total]),
      contracts: valued(Object.values(contracts.byStatus)),
      'contracts-expiring': valued([contracts.active, ...Object.values(contracts.expiring)]),
    };
    // One row per day of the range in the per-day charts, labelled by the day.
    const days = daily.queueDepth.map((d: { day: string }) => d.day.slice(5));
    for (const chart of ['breaches-tier', 'breaches-priority', 'queue-depth']) {
      expect(await page.locator(`#${chart}-table tbody th`).allTextContents(), chart).toEqual(days);
    }
    for (const [chart, rows] of Object.entries(expected)) {
      expect(await figures(page, chart), chart).toEqual(rows);
      const canvas = page.locator(`#${chart}-canvas`);
      expect(await canvas.count(), chart).toBe(1);
      // Chart.js owns the canvas and has painted pixels on it (string evaluation: the tests have no DOM types).
      const drawn = await page.evaluate(`(() => {
        const el = document.getElementById('${chart}-canvas');
        const pixels = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
        return { owned: Chart.getChart(el) !== undefined, width: el.width, height: el.height, painted: pixels.some((v) => v !== 0) };
      })()`) as { owned: boolean; width: number; height: number; painted: boolean };
      expect(drawn, chart).toMatchObject({ owned: true, painted: true });
      expect(drawn.width * drawn.height, chart).toBeGreaterThan(0);
      expect(await canvas.getAttribute('role')).toBe('img');
      expect(await canvas.getAttribute('aria-label')).toMatch(/.+: .+/);
    }
    return { tickets, daily, orders, contracts, receivables };
  }

  it('shows a manager every chart with the report API\'s numbers, a date range, and links to the lists and Temporal UI filters', { timeout: 120_000 }, async () => {
    // Some work through the API: three tickets (one escalated to L2) and an order over its customer's credit limit.
    const t = ticketDriver(h);
    const o = orderDriver(h);
    const customer = await t.customer('vip');
    const opened = [];
    for (const priority of ['low', 'high', 'urgent']) opened.push(await t.open({ customerId: customer.id, priority }));
    await t.act('agent', opened[0].id, 'escalate', { opinion: 'Check the line card at the exchange' });
    // A real SLA breach (urgent tickets answer within 3 s, put back at once) claimed at L2 after it, and a closed ticket.
    const restore = await overrideSettings(h, { 'sla.urgent.response': '3s', 'sla.calendar': null });
    const late = await t.open({ customerId: customer.id, priority: 'urgent' }).finally(restore);
    await eventually(() => t.get(late.id), (d) => d.status === 'escalated_l2');
    await t.act('support_l2', late.id, 'claim');
    const done = await t.open({ customerId: customer.id, category: 'consultation' });
    await t.act('agent', done.id, 'resolve', { resolution: 'explained' });
    await t.act('agent', done.id, 'confirm', { satisfaction: 4 });
    const buyer = await o.customer('100.00');
    const product = await o.product({ stock: 30, listPrice: '10.00' });
    const held = await o.order({ customerId: buyer.id, lines: [{ sku: product.sku, qty: 20 }], paymentTerms: 'credit' });
    await o.reaches(held.id, 'credit_hold');
    // An active contract ending in 20 days, and two open invoices issued today (one not yet due, one 45 days
    // overdue: written straight into the table, as no process makes one that old in a test's time).
    const c = contractDriver(h);
    await c.active({ validTo: c.inMs(20 * 86_400_000) });
    await c.draft({ targetValue: '25000.00' });
    const today = new Date().toISOString().slice(0, 10);
    const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await reportInputs(h).invoice(buyer.id, { amount: '120.00', issuedOn: today, dueOn: daysFromNow(30) });
    await reportInputs(h).invoice(buyer.id, { amount: '75.50', issuedOn: today, dueOn: daysFromNow(-45) });

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${base}/console`);
    await page.getByLabel('API key').fill(keyOf(h.users.manager.auth));
    await page.getByRole('button', { name: 'Sign in' }).click();

    // A manager's home is the dashboard; the nav link is marked current and the heading has focus.
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Dashboard');

    const range = { from: await page.getByLabel('From', { exact: true }).inputValue(), to: await page.getByLabel('To', { exact: true }).inputValue() };
    const { tickets, daily, orders, contracts, receivables } = await expectCharts(page, range);
    // The work above is in the figures: every chart has data.
    const todayFigures = daily.breaches.at(-1);
    expect(todayFigures).toMatchObject({ day: range.to });
    expect(todayFigures.byTier.L1).toBeGreaterThanOrEqual(1);
    expect(todayFigures.byPriority.urgent).toBeGreaterThanOrEqual(1);
    expect(daily.queueDepth.at(-1).L2).toBeGreaterThanOrEqual(1);
    expect(tickets.cycleTimeDistribution['<1h']).toBeGreaterThanOrEqual(1);
    expect(contracts.byStatus.active.contracts).toBeGreaterThanOrEqual(1);
    expect(contracts.byStatus.draft.contracts).toBeGreaterThanOrEqual(1);
    expect(receivables.asOf).toBe(range.to);
    expect(tickets.total).toBeGreaterThanOrEqual(3);
    expect(tickets.byTier.L2).toBeGreaterThanOrEqual(1);
    expect(orders.byStatus.credit_hold).toBeGreaterThanOrEqual(1);
    expect(receivables.buckets['0-30'].invoices).toBeGreaterThanOrEqual(1);
    expect(receivables.buckets['31-60'].invoices).toBeGreaterThanOrEqual(1);
    expect(contracts.expiring.within30Days.contracts).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#orders-status').textContent()).toContain(`${orders.creditHolds.orders} order${orders.creditHolds.orders === 1 ? '' : 's'} on credit hold worth ${orders.creditHolds.value}`);
    await screenshot(page, '20-dashboard');

    // Links: the filtered lists and the ready Temporal UI filters, built from domain/manager-filters.ts.
    const temporal = (title: string) => page.getByRole('link', { name: `Temporal UI: ${title}` }).first().getAttribute('href');
    const ui = `${h.config.temporal.uiUrl.replace(/\/+$/, '')}/namespaces/${h.config.temporal.namespace}/workflows?query=`;
    expect(await temporal('orders on credit hold')).toBe(ui + encodeURIComponent('CrmKind="order" AND CrmStatus="credit_hold"'));
    expect(await temporal('breached tickets at L2')).toBe(ui + encodeURIComponent('CrmKind="ticket" AND CrmSlaBreached=true AND CrmTier="L2"'));
    expect(decodeURIComponent((await temporal('active contracts expiring within 30 days'))!)).toMatch(/CrmDueAt < "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/);
    expect(await page.locator('#orders-status').getByRole('link', { name: 'credit holds' }).getAttribute('href')).toBe('#/search/orders?status=credit_hold');
    // Every list link is the Search page over a valid API list for a manager (or the Finance page as of the To day).
    const lists = await page.locator('a.list-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(lists.length).toBeGreaterThanOrEqual(5);
    expect(lists.filter((url) => !url.startsWith('#/search/'))).toEqual([`#/finance?asOf=${await page.getByLabel('To', { exact: true }).inputValue()}`]);
    for (const url of lists.filter((u) => u.startsWith('#/search/'))) {
      expect((await h.app.inject({ method: 'GET', url: `/api/v1/${url.slice('#/search/'.length)}`, headers: h.users.manager.auth })).statusCode, url).toBe(200);
    }
    // A manager has no queue view, so no link to it.
    expect(await page.getByRole('link', { name: 'Queue', exact: true }).count()).toBe(0);

    // The date range, by keyboard: a range of past days has none of this work, and the charts say so.
    await page.getByLabel('From', { exact: true }).focus();
    await page.keyboard.type('01012020');
    await page.getByLabel('To', { exact: true }).focus();
    await page.keyboard.type('01312020');
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('2020-01-01');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('2020-01-31');
    await page.keyboard.press('Enter');
    const past = await expectCharts(page, { from: '2020-01-01', to: '2020-01-31' });
    expect(past.tickets.total).toBe(0);
    // The receivables are aged as of the To day: the invoice 45 days overdue today was not yet due then.
    expect(await page.locator('#receivables-title').textContent()).toBe('Receivables aging as of 2020-01-31');
    expect(past.receivables.buckets['31-60'].invoices).toBe(0);
    await screenshot(page, '21-dashboard-past-range');

    // A chart's list opens on the Search page with its filter set; narrowed to the customer, it lists the held order.
    await page.locator('#orders-status').getByRole('link', { name: 'credit holds' }).click();
    await page.getByRole('heading', { name: 'Search orders', level: 1 }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('credit_hold');
    await page.getByLabel('Customer').fill(held.customerId);
    await page.getByLabel('Customer').press('Enter');
    await page.waitForURL((url) => url.hash === `#/search/orders?status=credit_hold&customerId=${held.customerId}`);
    await page.locator(`#search-table tr[data-key="${held.id}"]`).waitFor();
    // Polled: the list may be drawn again for the same search (the form's submit and the hash change) in between.
    await expect.poll(() => page.locator('#search-table tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent))))
      .toEqual([[held.id, buyer.id, 'credit hold', 'credit', '200.00']]); // 20 × 10.00
    await screenshot(page, '22-search-credit-holds');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers the dashboard to a supervisor but not to an agent', { timeout: 60_000 }, async () => {
    for (const [role, name, offered] of [['supervisor', 'Test supervisor', true], ['agent', 'Test agent', false]] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/console`);
      await page.getByLabel('API key').fill(keyOf(h.users[role].auth));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#user-name', { hasText: name }).waitFor();
      expect(await page.getByRole('link', { name: 'Dashboard' }).count(), role).toBe(offered ? 1 : 0);
      await page.goto(`${base}/console#/dashboard`);
      if (offered) {
        await page.locator('.charts[data-loaded]').waitFor();
        expect(await page.locator('#tickets-status').getByRole('link', { name: 'Queue', exact: true }).getAttribute('href')).toBe('#/queue');
      }
      else await page.waitForURL((url) => url.hash !== '#/dashboard');
      await context.close();
    }
  });
});
