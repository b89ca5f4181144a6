import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIR } from '../../api/routes/console';
import { CONTRACT_STATES, CONTRACT_TYPES } from '../../domain/contracts';
import { ORDER_STATES, PAYMENT_TERMS } from '../../domain/orders';
import { PRIORITIES } from '../../domain/sla';
import { CATEGORIES, CHANNELS, FINAL_TICKET_STATES, QUEUE_STATES, TICKET_STATES, TIERS } from '../../domain/tickets';
import { launchChromium, pageErrors, screenshot, skipBrowserTests, CHROMIUM_PATH } from '../helpers/browser';
import { listeningHarness, openFromNav } from '../helpers/console';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';

let h: Harness;
let base: string;

beforeAll(async () => { ({ h, base } = await listeningHarness({ worker: true })); });
afterAll(async () => { await h?.close(); });

describe('console files', () => {
  // The shell (sign-in, header, router) is fetched by everyone at sign-in; each page, with the modules it imports,
  // only when opened (`import()` in app.js). The budgets catch a page pulling in a library or generated code
  // unnoticed; the chart library is served from node_modules for the dashboard alone.
  it('keeps the shell under 32 KB and every page with what it imports under 64 KB of script', async () => {
    const source = async (name: string) => readFile(path.join(CONSOLE_DIR, name), 'utf8');
    const closure = async (name: string, seen = new Set<string>()): Promise<Set<string>> => {
      if (seen.has(name)) return seen;
      seen.add(name);
      for (const [, dep] of (await source(name)).matchAll(/^import [^;]*? from '\.\/([\w-]+\.js)';$/gm)) await closure(dep!, seen);
      return seen;
    };
    const size = async (names: Iterable<string>) => (await Promise.all([...names].map(async (n) => (await stat(path.join(CONSOLE_DIR, n))).size))).reduce((a, b) => a + b, 0);
    const shell = await closure('app.js');
    const pages = [...new Set([...(await source('app.js')).matchAll(/import\('\.\/([\w-]+\.js)'\)/g)].map(([, page]) => page!))];
    expect(pages.length).toBeGreaterThan(10);
    expect(await size(shell), `shell: ${[...shell].join(', ')}`).toBeLessThan(32 * 1024);
    for (const page of pages) {
      const own = [...await closure(page)].filter((name) => !shell.has(name));
      expect(await size(own), `${page}: ${own.join(', ')}`).toBeLessThan(64 * 1024);
    }
    // Every file is reachable from the shell or a page: nothing is served that nothing loads.
    const reachable = new Set(shell);
    for (const page of pages) for (const name of await closure(page)) reachable.add(name);
    const names = (await readdir(CONSOLE_DIR)).filter((name) => name.endsWith('.js'));
    expect(names.filter((name) => !reachable.has(name))).toEqual([]);
  });

  it('serves the page and its assets publicly, with content types and a policy that admits only its own scripts and styles', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    expect(page.body).toContain('/console/app.js');
    const script = await h.app.inject({ method: 'GET', url: '/console/app.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const css = await h.app.inject({ method: 'GET', url: '/console/styles.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const again = await h.app.inject({ method: 'GET', url: '/console/app.js', headers: { 'if-none-match': script.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    for (const url of ['/console/nope.js', '/console/../package.json', '/console/%2e%2e/package.json']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it("tells the Number box the deployment's number prefixes, a contract type's own among them", async () => {
    const configured = await startHarness({ env: { CRM_ORDER_PREFIX: 'AU', CRM_CONTRACT_PREFIX_QUANTITY: 'QC' } });
    try {
      const settings = await configured.app.inject({ method: 'GET', url: '/console/settings.json' });
      expect(settings.json().numberPrefixes).toEqual({ tickets: ['T'], orders: ['AU'], contracts: ['C', 'QC'], customers: ['CUS'] });
    } finally {
      await configured.close();
    }
  });

  it('offers the same channels, categories, priorities, queue states and order and contract vocabularies as the API', async () => {
    const vocab = await import(new URL('../../console/vocab.js', import.meta.url).href);
    expect(vocab).toMatchObject({ CHANNELS, CATEGORIES, PRIORITIES, TIERS, QUEUE_STATES, FINAL_STATES: FINAL_TICKET_STATES, ORDER_STATES, CONTRACT_STATES, PAYMENT_TERMS, CONTRACT_TYPES });
  });

  it('has words for every ticket state, naming the tier as people do', async () => {
    const { STATUS_LABELS } = await import(new URL('../../console/vocab.js', import.meta.url).href);
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...TICKET_STATES].sort());
    expect(STATUS_LABELS).toMatchObject({ in_progress_l2: 'in progress at L2', escalated_l3: 'escalated to L3' });
  });
});

if (skipBrowserTests) console.warn(`test/e2e/console.test.ts: browser tests skipped, ${CHROMIUM_PATH} is missing (apt-get install chromium); CI always runs them`);

describe.skipIf(skipBrowserTests)('support console in Chromium', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });

  // A failed test leaves a picture of every page it had open.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const pages = contexts.flatMap((c) => c.pages());
    await Promise.all(pages.map((page, i) => screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`)));
  });

  const keyOf = (auth: { authorization: string }) => auth.authorization.slice('Bearer '.length);

  /** A fresh browser session (its own sessionStorage) at the sign-in form. */
  async function signedOut(viewport = { width: 1366, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    errors.push(pageErrors(page));
    await page.goto(`${base}/console`);
    return page;
  }

  async function signedIn(apiKey: string, name: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await signedOut(viewport);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#user-name', { hasText: name }).waitFor();
    return page;
  }

  const statusIs = (page: Page, status: string) => page.locator(`#ticket-status[data-status="${status}"]`).waitFor();
  const buttonsOf = (page: Page) => page.locator('[role=group][aria-label=Actions] button').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));

  /** Clicks an action button, fills its form (label → value) and sends it. */
  async function act(page: Page, label: string, fields: Record<string, string | true> = {}) {
    await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: label, exact: true }).click();
    if (Object.keys(fields).length === 0) return;
    const form = page.getByRole('form', { name: label });
    for (const [field, value] of Object.entries(fields)) {
      const input = form.getByLabel(field);
      if (value === true) await input.check();
      else if (await input.evaluate((el) => el.tagName === 'SELECT')) await input.selectOption(value);
      else await input.fill(value);
    }
    await form.getByRole('button', { name: label, exact: true }).click();
  }

  async function refresh(page: Page) {
    await page.getByRole('button', { name: 'Refresh' }).click();
  }

  it('takes a fault complaint from the agent through L2 (claim, ask, reply, resolve) to the customer\'s confirmation: closed', { timeout: 120_000 }, async () => {
    const t = ticketDriver(h);
    const customerName = `Acme VIP ${uniq()}`;
    await t.call('supervisor', 'POST', '/customers', { name: customerName, kind: 'enterprise', tier: 'vip', creditLimit: '1000.00', contacts: [{ name: 'Pat', phone: '+49 30 1234' }] }, 201);

    const agent = await signedIn(keyOf(h.users.agent.auth), 'Test agent');
    expect(await agent.locator('#user-roles').textContent()).toBe('agent');
    await agent.getByRole('heading', { name: 'Front line' }).waitFor();
    await agent.getByLabel('Customer', { exact: true }).fill(customerName);
    await agent.getByLabel('Customer', { exact: true }).press('Enter');
    await agent.getByRole('radio', { name: new RegExp(customerName) }).check();
    await agent.getByLabel('Channel').selectOption('email');
    await agent.getByLabel('Category').selectOption('fault');
    await agent.getByLabel('Priority').selectOption('high');
    await agent.getByLabel('Subject').fill('Internet down at head office');
    await agent.getByLabel('What the customer reports').fill('No sync on the router since 8:00.');
    await screenshot(agent, '01-agent-intake');
    await agent.getByRole('button', { name: 'Register complaint' }).click();

    await agent.waitForURL(/#\/tickets\/T-\d{4}-\d{6}$/);
    const id = decodeURIComponent(agent.url().split('#/tickets/')[1]!);
    await statusIs(agent, 'new');
    await agent.locator('dd', { hasText: customerName }).waitFor();
    // The buttons are the workflow's allowedActions for this user: a fault cannot be resolved at L1.
    const live = (await t.get(id, 'agent')).live;
    expect(await buttonsOf(agent)).toEqual(live.allowedActions);
    expect(live.allowedActions).toContain('escalate');
    expect(live.allowedActions).not.toContain('resolve');
    await act(agent, 'Escalate', { 'Dispatch opinion: what the next tier should do': 'Check the line card at the exchange' });
    await statusIs(agent, 'escalated_l2');
    await screenshot(agent, '02-agent-escalated');

    const l2 = await signedIn(keyOf(h.users.support_l2.auth), 'Test support_l2');
    await l2.getByRole('heading', { name: 'Queue' }).waitFor();
    const row = l2.locator(`tr[data-ticket="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('VIP');
    expect(await row.locator('time[data-due]').count()).toBe(1);
    await l2.getByLabel('Priority').selectOption('low');
    await row.waitFor({ state: 'detached' });
    await l2.getByLabel('Priority').selectOption('high');
    await row.waitFor();
    await screenshot(l2, '03-l2-queue');
    await row.getByRole('link', { name: id }).click();

    await statusIs(l2, 'escalated_l2');
    await l2.locator('section', { has: l2.getByRole('heading', { name: 'Dispatch opinion' }) }).getByText('Check the line card at the exchange').waitFor();
    // By keyboard: the buttons are real buttons, and focus lands on the next actions afterwards.
    await l2.getByRole('button', { name: 'Claim' }).focus();
    await l2.keyboard.press('Enter');
    await statusIs(l2, 'in_progress_l2');
    await l2.locator('[aria-label=Actions] button:focus').waitFor();
    await act(l2, 'Add note', { Note: 'Line card 3 shows CRC errors', 'Internal (not shown to the customer)': true });
    await l2.locator('.notes li', { hasText: 'Line card 3 shows CRC errors' }).waitFor();
    await act(l2, 'Request information', { 'Question for the customer': 'Which LEDs are lit on the router?' });
    await statusIs(l2, 'pending_customer');
    await screenshot(l2, '04-l2-pending-customer');

    await refresh(agent);
    await statusIs(agent, 'pending_customer');
    await act(agent, "Record customer's reply", { "The customer's reply": 'Only the power LED' });
    await statusIs(agent, 'in_progress_l2');

    await refresh(l2);
    await statusIs(l2, 'in_progress_l2');
    await act(l2, 'Resolve', { Resolution: 'Replaced line card 3; sync restored' });
    await statusIs(l2, 'resolved');
    await screenshot(l2, '05-l2-resolved');

    await refresh(agent);
    await statusIs(agent, 'resolved');
    await act(agent, 'Record confirmation', { 'Satisfaction (5 = very satisfied)': '5', Comment: 'Works again' });
    await statusIs(agent, 'closed');
    expect(await buttonsOf(agent)).toEqual([]);
    const timeline = await agent.locator('ol.timeline li').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
    expect(timeline).toEqual(['open', 'escalate', 'claim', 'note', 'request-info', 'customer-reply', 'resolve', 'confirm']);
    await screenshot(agent, '06-agent-closed');
    await agent.emulateMedia({ colorScheme: 'dark' });
    await screenshot(agent, '06-agent-closed-dark');
    expect((await t.get(id)).satisfaction).toBe(5);
    expect(errors.flat(), 'errors reported by the pages').toEqual([]);
  });

  it('shows the API\'s refusal in its own words when a second session claims a ticket already claimed', { timeout: 90_000 }, async () => {
    const t = ticketDriver(h);
    const { id } = await t.open({ category: 'fault' });
    await t.act('agent', id, 'escalate', { opinion: 'Race for it' });
    const other = await t.call('admin', 'POST', '/users', { name: 'Second L2', email: `l2-${uniq()}@test.local`, roles: ['support_l2'] }, 201);

    const first = await signedIn(keyOf(h.users.support_l2.auth), 'Test support_l2');
    const second = await signedIn(other.apiKey, 'Second L2');
    for (const page of [first, second]) {
      await page.goto(`${base}/console#/tickets/${id}`);
      await statusIs(page, 'escalated_l2');
    }
    await act(first, 'Claim');
    await statusIs(first, 'in_progress_l2');

    const [response] = await Promise.all([
      second.waitForResponse((r) => r.url().endsWith(`/tickets/${id}/claim`)),
      act(second, 'Claim'),
    ]);
    const problem = await response.json();
    expect(response.status()).toBe(409);
    expect(problem.detail).toBeTruthy();
    await second.getByRole('alert').filter({ hasText: problem.detail }).waitFor();
    // The page then catches up: the claim button is gone, the ticket shows as someone else's.
    await statusIs(second, 'in_progress_l2');
    expect(await buttonsOf(second)).not.toContain('claim');
    await screenshot(second, '07-refused-claim');
    expect(errors.flat(), 'errors reported by the pages').toEqual([]);
  });

  it('lets a supervisor switch queues and offers supervisor actions; a wrong key is refused and signing out forgets the key', { timeout: 90_000 }, async () => {
    const t = ticketDriver(h);
    const refused = await signedOut();
    await refused.getByLabel('API key').fill('crm_k_not-a-real-key');
    await refused.getByLabel('API key').press('Enter');
    await refused.getByRole('alert').filter({ hasText: 'unknown or revoked' }).waitFor();

    const supervisor = await signedIn(keyOf(h.users.supervisor.auth), 'Test supervisor');
    await supervisor.getByRole('heading', { name: 'Queue' }).waitFor();
    // A ticket escalated after the page loaded shows up by itself (polling), without a reload.
    const { id } = await t.open({ category: 'usage' });
    await t.act('agent', id, 'escalate', { opinion: 'Look at the usage records' });
    const row = supervisor.locator(`tr[data-ticket="${id}"]`);
    await row.waitFor({ timeout: 20_000 });
    await supervisor.getByLabel('Tier').selectOption('L3');
    await row.waitFor({ state: 'detached' });
    await supervisor.getByLabel('Tier').selectOption('L2');
    await row.getByRole('link', { name: id }).click();
    await statusIs(supervisor, 'escalated_l2');
    const live = (await t.get(id, 'supervisor')).live;
    expect(live.allowedActions).toEqual(expect.arrayContaining(['claim', 'reassign', 'cancel']));
    expect(await buttonsOf(supervisor)).toEqual(live.allowedActions);
    await supervisor.getByRole('button', { name: 'Reassign' }).click();
    await supervisor.getByRole('form', { name: 'Reassign' }).getByLabel('Tier').press('Escape');
    await supervisor.getByRole('form', { name: 'Reassign' }).waitFor({ state: 'detached' });
    await supervisor.locator('[aria-label=Actions] button:focus').waitFor();

    await supervisor.getByRole('button', { name: 'Sign out' }).click();
    await supervisor.getByLabel('API key').waitFor();
    expect(await supervisor.evaluate('sessionStorage.length')).toBe(0);
    expect(errors.flat(), 'errors reported by the pages').toEqual([]);
  });

  it('lets an admin deactivate a user who left: the list says inactive and their ticket is back in the L2 queue', { timeout: 90_000 }, async () => {
    const t = ticketDriver(h);
    const leaver = await t.call('admin', 'POST', '/users', { name: `Leaver ${uniq()}`, email: `leaver-${uniq()}@test.local`, roles: ['support_l2'] }, 201);
    const { id } = await t.open({ category: 'fault' });
    await t.act('agent', id, 'escalate', { opinion: 'Check the line card' });
    const claim = await h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/claim`, headers: { authorization: `Bearer ${leaver.apiKey}` }, payload: {} });
    expect(claim.statusCode).toBe(200);

    const admin = await signedIn(keyOf(h.users.admin.auth), 'Test admin');
    // An admin starts on My tasks, like every role without a queue; Users is one link away.
    await openFromNav(admin, 'Users');
    await admin.getByRole('heading', { name: 'Users' }).waitFor();
    admin.once('dialog', (dialog) => void dialog.accept());
    const row = admin.locator(`tr[data-user="${leaver.id}"]`);
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await admin.locator('#toast', { hasText: `${leaver.name} deactivated: 1 key(s) revoked, ${id} back in the queue.` }).waitFor();
    await row.getByText('inactive').waitFor();
    expect(await row.getByRole('button', { name: 'Deactivate' }).count()).toBe(0);
    expect(await admin.locator(`tr[data-user="${h.users.admin.id}"] button`).count()).toBe(0);
    expect(await t.get(id)).toMatchObject({ status: 'escalated_l2', assigneeId: null });
    expect(errors.flat(), 'errors reported by the pages').toEqual([]);
  });

  it("fits the front line in a 1366×768 window, lists the agent's own escalations, and shows names and states in words", { timeout: 90_000 }, async () => {
    const t = ticketDriver(h);
    // Long words in every column, as a busy day has them.
    const customer = await t.call('supervisor', 'POST', '/customers', { name: `Stadtwerke Nordhausen Energieversorgung ${uniq()}`, kind: 'enterprise', tier: 'vip', creditLimit: '1000.00' }, 201);
    const { id } = await t.open({ customerId: customer.id, category: 'service_quality', priority: 'urgent', subject: 'Intermittent packet loss on the leased line between both sites' });
    await t.act('agent', id, 'escalate', { opinion: 'Measure the line at both ends' });
    await t.act('support_l2', id, 'claim');
    const other = await t.open({ customerId: customer.id });

    const agent = await signedIn(keyOf(h.users.agent.auth), 'Test agent', { width: 1366, height: 768 });
    await agent.getByRole('heading', { name: 'Front line' }).waitFor();
    const mine = agent.locator('section', { has: agent.getByRole('heading', { name: 'My escalations' }) });
    const row = mine.locator(`tr[data-ticket="${id}"]`);
    await row.waitFor();
    expect(await mine.locator(`tr[data-ticket="${other.id}"]`).count()).toBe(0);
    expect(await row.textContent()).toContain('in progress at L2');
    expect(await row.textContent()).toContain('Test support_l2');
    await agent.locator(`section tr[data-ticket="${other.id}"]`).first().waitFor();
    await screenshot(agent, '08-front-line-1366');
    // In the page's own terms (this file is compiled without the DOM library).
    const overflow = await agent.evaluate(`({
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      tables: [...document.querySelectorAll('.table-box')].map((box) => box.scrollWidth - box.clientWidth),
    })`) as { page: number; tables: number[] };
    expect(overflow.page, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    expect(Math.max(0, ...overflow.tables), 'a table scrolls sideways').toBeLessThanOrEqual(0);

    await row.getByRole('link', { name: id }).click();
    await statusIs(agent, 'in_progress_l2');
    expect(await agent.locator('#ticket-status').textContent()).toContain('in progress at L2');
    const timeline = await agent.locator('ol.timeline').textContent();
    expect(timeline).toContain('by Test support_l2');
    expect(timeline).toContain('by you (Test agent)');
    expect(timeline).toContain('escalated to L2 → in progress at L2');
    expect(timeline).not.toMatch(/U-\d{6}/);
    expect(await agent.locator('dd', { hasText: 'Test support_l2' }).count()).toBe(1);
    expect(errors.flat(), 'errors reported by the pages').toEqual([]);
  });

  it("opens a number's page from the header's Number box by its prefix (an order, a customer, a ticket), and Search finds a ticket by a word", { timeout: 90_000 }, async () => {
    const o = orderDriver(h);
    const buyer = await o.customer('1000.00');
    const product = await o.product({ stock: 5, listPrice: '10.00' });
    const order = await o.order({ customerId: buyer.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'prepaid' });
    const word = `zebra${uniq().replace(/\W/g, '')}`;
    const ticket = await ticketDriver(h).open({ customerId: buyer.id, description: `The ${word} router blinks red` });
    const page = await signedIn(keyOf(h.users.manager.auth), 'Test manager');
    const pages: [string, string, string][] = [[order.id, 'orders', `Order ${order.id}`], [buyer.id, 'customers', buyer.name as string], [ticket.id, 'tickets', `Ticket ${ticket.id}`]];
    for (const [number, kind, heading] of pages) {
      // Typed as people type it: lower case, with spaces around.
      await page.getByLabel('Number').fill(` ${number.toLowerCase()} `);
      await page.getByLabel('Number').press('Enter');
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      expect(page.url()).toContain(`#/${kind}/${number}`);
    }
    // Search finds the ticket by a word of its description (GET /tickets?q=, full text).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Search tickets', level: 1 }).waitFor();
    await page.getByLabel('Words').fill(word);
    await page.getByLabel('Words').press('Enter');
    await page.locator(`#search-table tr[data-key="${ticket.id}"]`).waitFor();
    expect(await page.locator('#search-table tbody tr').evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent))).toEqual([ticket.id]);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).getAttribute('aria-current')).toBe('');
  });

  it('loads the API docs (Swagger UI) without a Content-Security-Policy error', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const docsErrors = pageErrors(page);
    const violations: string[] = [];
    page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text()); });
    await page.goto(`${base}/docs`);
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
    await page.locator('.swagger-ui .info .title', { hasText: 'crmflow API' }).waitFor();
    // Open one operation, so its schemas, examples and code blocks render too.
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, '09-api-docs');
    expect(violations, 'CSP violations').toEqual([]);
    expect(docsErrors, 'errors reported by the docs page').toEqual([]);
    // The policy is the docs' own; every other route keeps helmet's.
    const docs = await h.app.inject({ method: 'GET', url: '/docs/' });
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    expect(health.headers['content-security-policy']).toContain("script-src 'self'");
    expect(health.headers['content-security-policy']).not.toBe(docs.headers['content-security-policy']);
  });

  afterAll(async () => { await Promise.all(contexts.map((c) => c.close())); });
});
