import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_FREQUENCIES, CONTRACT_TYPES } from '../../domain/contracts';
import { parseInstant } from '../../domain/dates';
import { PAYMENT_TERMS } from '../../domain/orders';
import type { Role } from '../../domain/roles';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { cells, consoleInChromium, listeningHarness } from '../helpers/console';
import { financeColleague } from '../helpers/customers';
import { uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';

// The agent's and finance's customer work (issue 16): a customer, an order and a contract draft created in
// the console, and a credit limit changed by finance, a raise beyond self-service approved by a second
// finance user; each checked against what the API then holds.

let h: Harness;
let base: string;

beforeAll(async () => { ({ h, base } = await listeningHarness({ worker: true })); });
afterAll(async () => { await h?.close(); });

async function get(path: string, role: Role = 'manager') {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: h.users[role].auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('what the create forms read', () => {
  it('answers each role which customer fields it may set, from the routes\' declarations', async () => {
    const settings = await get('/settings', 'admin');
    const defaultLimit = { may: 'at-most', value: settings['credit.defaultLimit'], setting: 'credit.defaultLimit' };
    const any = { may: 'any' };
    const none = { may: 'none' };
    expect(await get('/customers/field-access', 'agent')).toEqual({
      create: { name: any, kind: any, tier: { may: 'equals', value: 'standard' }, region: any, language: any, creditLimit: defaultLimit, contacts: any },
      update: { name: any, kind: any, tier: none, region: any, language: any, creditLimit: none, contacts: any, reason: none },
    });
    expect(await get('/customers/field-access', 'finance')).toEqual({
      create: null,
      update: { name: none, kind: none, tier: none, region: none, language: none, creditLimit: any, contacts: none, reason: any },
    });
    expect((await get('/customers/field-access', 'supervisor')).create).toMatchObject({ tier: any, creditLimit: defaultLimit });
    expect(await get('/customers/field-access', 'fulfilment')).toEqual({ create: null, update: null });
  });

  it('finds products by sku or name (GET /products?q=)', async () => {
    const o = orderDriver(h);
    const product = await o.product({ listPrice: '4.00' });
    expect((await get(`/products?q=${product.sku.slice(4).toLowerCase()}`)).items.map((p: { sku: string }) => p.sku)).toEqual([product.sku]);
    expect((await get('/products?q=%25_')).items).toEqual([]);
  });

  it('offers the API\'s own words for terms, contract types and billing', async () => {
    const vocab = await import(new URL('../../console/vocab.js', import.meta.url).href);
    expect({ terms: vocab.PAYMENT_TERMS, types: vocab.CONTRACT_TYPES, billing: vocab.BILLING_FREQUENCIES })
      .toEqual({ terms: [...PAYMENT_TERMS], types: [...CONTRACT_TYPES], billing: [...BILLING_FREQUENCIES] });
  });
});

describe.skipIf(skipBrowserTests)('creating customers, orders and contracts in Chromium', () => {
  const chromium = consoleInChromium('desk-create', () => h, () => base);
  let customerId: string;
  let agent: Page;

  const openHash = async (page: Page, hash: string, heading: string | RegExp) => {
    await page.goto(`${base}/console${hash}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };

  it('lets an agent create a standard customer with two contacts, refusing a limit beyond the default in the API\'s words', { timeout: 120_000 }, async () => {
    const settings = await get('/settings', 'admin');
    const defaultLimit = settings['credit.defaultLimit'] as string;
    agent = await chromium.signIn('agent', 'Front line');
    await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await agent.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const form = agent.getByRole('form', { name: 'New customer' });
    await form.waitFor();
    // An agent creates standard customers only: no tier to choose, and the limit's bound is said.
    expect(await agent.locator('#new-customer-tier').count()).toBe(0);
    expect(await agent.locator('#new-customer-limit-note').textContent()).toBe(`Credit limit at most ${defaultLimit} (setting credit.defaultLimit); finance sets a higher one.`);

    const name = `Nordwind ${uniq()}`;
    await form.getByLabel('Name', { exact: true }).first().fill(name);
    await form.getByLabel('Kind').selectOption('enterprise');
    await form.getByLabel('Region').fill('North');
    await form.getByLabel('Credit limit', { exact: true }).fill('999999.00');
    await agent.locator('#new-customer-contacts-1-name').fill('Ada Buyer');
    await agent.locator('#new-customer-contacts-1-email').fill('ada@nordwind.test');
    await agent.locator('#new-customer-contacts-1-phone').fill('+49 30 1234');
    await form.getByRole('button', { name: 'Add contact' }).click();
    await agent.locator('#new-customer-contacts-2-name').fill('Bo Accounts');
    await agent.locator('#new-customer-contacts-2-phone').fill('030 9876');
    await form.getByRole('button', { name: 'Create customer' }).click();
    await form.getByRole('alert').filter({ hasText: `creditLimit: at most ${defaultLimit} (the setting credit.defaultLimit) for agent; only finance may set it otherwise` }).waitFor();

    await form.getByLabel('Credit limit', { exact: true }).fill('800.00');
    await screenshot(agent, '65-create-customer-form');
    await form.getByRole('button', { name: 'Create customer' }).click();
    await agent.getByRole('heading', { name, level: 1 }).waitFor();
    customerId = decodeURIComponent(agent.url().split('#/customers/')[1]!);
    expect(await agent.locator('#toast').textContent()).toBe(`Created customer ${customerId}.`);
    expect(await get(`/customers/${customerId}`)).toEqual({
      id: customerId, status: 'active', name, kind: 'enterprise', tier: 'standard', region: 'North', language: null, creditLimit: '800.00',
      contacts: [{ name: 'Ada Buyer', email: 'ada@nordwind.test', phone: '+49 30 1234' }, { name: 'Bo Accounts', email: null, phone: '030 9876' }],
      createdAt: expect.any(String),
    });
    const [created] = (await get(`/audit?resource=customer:${customerId}&action=customer.create`)).items;
    expect(created).toMatchObject({ actorId: h.users.agent.id });
  });

  it('lets the agent change the particulars and contacts on the cockpit, without tier or credit limit', { timeout: 120_000 }, async () => {
    await agent.locator('#cockpit-edit summary').click();
    const form = agent.getByRole('form', { name: 'Change the customer' });
    expect(await form.locator('input, select, textarea').evaluateAll((els) => els.map((el) => el.getAttribute('name'))))
      .toEqual(['name', 'kind', 'region', 'name', 'email', 'phone', 'name', 'email', 'phone']);
    await form.getByLabel('Region').fill('North-East');
    await form.getByRole('button', { name: 'Remove line 2 (Contacts)' }).click();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await agent.locator('#customer-contacts li').first().waitFor();
    await expect.poll(() => agent.locator('#customer-contacts li').count()).toBe(1);
    expect(await agent.locator('#toast').textContent()).toBe('Saved.');
    expect(await get(`/customers/${customerId}`)).toMatchObject({
      region: 'North-East', tier: 'standard', creditLimit: '800.00', contacts: [{ name: 'Ada Buyer', email: 'ada@nordwind.test', phone: '+49 30 1234' }],
    });
    const [update] = (await get(`/audit?resource=customer:${customerId}&action=customer.update`)).items;
    expect(update).toMatchObject({ actorId: h.users.agent.id, detail: { region: 'North-East', contacts: [{ name: 'Ada Buyer', email: 'ada@nordwind.test', phone: '+49 30 1234' }] } });
  });

  it('lets the agent order for the new customer from its cockpit: lines at list price, one order for a double click', { timeout: 120_000 }, async () => {
    const o = orderDriver(h);
    const goods = await o.product({ listPrice: '12.50', stock: 20 });
    const service = await o.product({ kind: 'service', listPrice: '30.00' });
    await agent.getByRole('link', { name: 'New order' }).click();
    await agent.getByRole('heading', { name: 'New order', level: 1 }).waitFor();
    expect(agent.url()).toContain(`#/orders/new?customer=${customerId}`);
    await agent.locator('#new-order-customer-q-results label', { hasText: 'Nordwind' }).waitFor();

    await agent.locator('#new-order-lines-1-sku').fill(goods.sku);
    await agent.locator('#new-order-lines-1-qty').fill('3');
    await agent.locator('#new-order-lines-1-sku').press('Tab');
    await agent.locator('#new-order-lines [data-line]', { hasText: 'Test product (goods): list price 12.50, 37.50 for 3' }).waitFor();
    await agent.getByRole('button', { name: 'Add line' }).click();
    await agent.locator('#new-order-lines-2-sku').fill(service.sku);
    await agent.locator('#new-order-lines-2-qty').fill('2');
    await agent.locator('#new-order-lines-2-sku').press('Tab');
    // A third line added and left empty counts for nothing and sends nothing.
    await agent.getByRole('button', { name: 'Add line' }).click();
    await agent.locator('#new-order-total', { hasText: '97.50 at list prices.' }).waitFor();
    await agent.getByLabel('Payment terms').selectOption('prepaid');
    expect(await agent.locator('#new-order-contract option').allTextContents()).toEqual(['none (not a call-off)']);
    await agent.getByLabel('Delivery address (goods)').fill('Hafenstraße 1, 20457 Hamburg');
    await screenshot(agent, '66-create-order-form');
    await agent.getByRole('button', { name: 'Place order' }).dblclick();
    await agent.getByRole('heading', { name: /^Order SO-/, level: 1 }).waitFor();
    const orderId = decodeURIComponent(agent.url().split('#/orders/')[1]!);

    const order = await get(`/orders/${orderId}`);
    expect({
      customerId: order.customerId, paymentTerms: order.paymentTerms, contractId: order.contractId, total: order.total, deliveryAddress: order.deliveryAddress,
      lines: order.lines.map((l: Record<string, unknown>) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, lineTotal: l.lineTotal, priceRule: l.priceRule })),
      createdBy: order.timeline[0].actorId,
    }).toEqual({
      customerId, paymentTerms: 'prepaid', contractId: null, total: '97.50', deliveryAddress: 'Hafenstraße 1, 20457 Hamburg',
      lines: [
        { sku: goods.sku, qty: 3, unitPrice: '12.50', lineTotal: '37.50', priceRule: 'list' },
        { sku: service.sku, qty: 2, unitPrice: '30.00', lineTotal: '60.00', priceRule: 'list' },
      ],
      createdBy: h.users.agent.id,
    });
    expect((await get(`/orders?customerId=${customerId}`)).items.map((x: { id: string }) => x.id)).toEqual([orderId]);
  });

  it('lets the agent draft a contract for the customer, refusing bad dates in the API\'s words, and submit it', { timeout: 120_000 }, async () => {
    const o = orderDriver(h);
    const product = await o.product({ listPrice: '12.50' });
    await openHash(agent, `#/customers/${customerId}`, /^Nordwind/);
    await agent.getByRole('link', { name: 'New contract' }).click();
    await agent.getByRole('heading', { name: 'New contract', level: 1 }).waitFor();
    const form = agent.getByRole('form', { name: 'Contract draft' });
    await form.getByLabel('Type').selectOption('value');
    await form.getByLabel('Target value').fill('20000.00');
    await form.getByLabel('Valid from').fill('2027-01-01');
    await form.getByLabel('Valid to').fill('2026-12-31');
    await agent.locator('#new-contract-prices-1-sku').fill(product.sku);
    await agent.locator('#new-contract-prices-1-unitPrice').fill('11.00');
    await agent.locator('#new-contract-prices-1-sku').press('Tab');
    await agent.locator('#new-contract-prices [data-line]', { hasText: 'Test product (goods): list price 12.50' }).waitFor();
    await form.getByLabel('Payment terms').fill('net 30');
    await form.getByLabel('Notice (days)').fill('60');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await form.getByRole('alert').filter({ hasText: 'the contract draft is not consistent — /validTo: must be after validFrom' }).waitFor();

    await form.getByLabel('Valid to').fill('2027-12-31');
    await screenshot(agent, '67-create-contract-form');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await agent.getByRole('heading', { name: /^Contract C/, level: 1 }).waitFor();
    const contractId = decodeURIComponent(agent.url().split('#/contracts/')[1]!);
    await agent.locator('#contract-status[data-status="draft"]').waitFor();
    await agent.locator('button[data-action="submit"]').click();
    await agent.locator('#contract-status[data-status="pending_approval"]').waitFor();

    const zone = h.config.business.timeZone;
    const contract = await get(`/contracts/${contractId}`);
    expect({
      status: contract.status, type: contract.type, customerId: contract.customerId, targetValue: contract.targetValue, validFrom: contract.validFrom, validTo: contract.validTo,
      createdBy: contract.createdBy, prices: contract.live.prices, paymentTerms: contract.live.paymentTerms, noticeDays: contract.live.noticeDays, autoRenew: contract.live.autoRenew,
    }).toEqual({
      status: 'pending_approval', type: 'value', customerId, targetValue: '20000.00',
      validFrom: new Date(parseInstant('2027-01-01', zone)).toISOString(), validTo: new Date(parseInstant('2027-12-31', zone)).toISOString(),
      createdBy: h.users.agent.id, prices: [{ sku: product.sku, unitPrice: '11.00' }], paymentTerms: 'net 30', noticeDays: 60, autoRenew: false,
    });
    expect(contract.timeline.find((e: { action: string }) => e.action === 'submit')).toMatchObject({ actorId: h.users.agent.id, toStatus: 'pending_approval' });
  });

  it('drafts a quantity contract from the Front line, the customer found by name, priced at list where no price is given', { timeout: 120_000 }, async () => {
    const product = await orderDriver(h).product({ listPrice: '12.50' });
    const { name } = await get(`/customers/${customerId}`);
    await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Front line' }).click();
    await agent.getByRole('heading', { name: 'Front line', level: 1 }).waitFor();
    await agent.getByRole('link', { name: 'New contract' }).click();
    await agent.getByRole('heading', { name: 'New contract', level: 1 }).waitFor();
    const form = agent.getByRole('form', { name: 'Contract draft' });
    await form.getByLabel('Customer', { exact: true }).fill(name);
    await form.getByLabel('Customer', { exact: true }).press('Enter');
    await expect.poll(() => form.getByRole('radio', { name: new RegExp(name) }).isChecked()).toBe(true);
    await form.getByLabel('Type').selectOption('quantity');
    expect(await form.getByLabel('Target value').isHidden()).toBe(true);
    await agent.locator('#new-contract-quantities-1-sku').fill(product.sku);
    await agent.locator('#new-contract-quantities-1-qty').fill('40');
    await form.getByLabel('Valid from').fill('2027-02-01');
    await form.getByLabel('Valid to').fill('2027-07-31');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await agent.getByRole('heading', { name: /^Contract C/, level: 1 }).waitFor();
    const contract = await get(`/contracts/${decodeURIComponent(agent.url().split('#/contracts/')[1]!)}`);
    expect({ customerId: contract.customerId, type: contract.type, status: contract.status, targetValue: contract.targetValue, targetQuantities: contract.live.targetQuantities, prices: contract.live.prices })
      .toEqual({ customerId, type: 'quantity', status: 'draft', targetValue: '500.00', targetQuantities: [{ sku: product.sku, qty: 40, unitPrice: '12.50' }], prices: [] });
  });

  it('lets finance change the limit within self-service at once, and a second finance user approve a raise beyond it', { timeout: 120_000 }, async () => {
    const settings = await get('/settings', 'admin');
    expect(Number(settings['credit.selfServiceLimit'])).toBeGreaterThanOrEqual(5000);
    const above = (Number(settings['credit.selfServiceLimit']) + 15000).toFixed(2);
    const finance = await chromium.signIn('finance', 'My tasks');
    await openHash(finance, `#/customers/${customerId}`, /^Nordwind/);
    await finance.locator('#cockpit-edit summary').click();
    const form = finance.getByRole('form', { name: 'Change the customer' });
    // Finance changes the credit limit and nothing else; agents never see it.
    expect(await form.locator('input, select, textarea').evaluateAll((els) => els.map((el) => el.getAttribute('name')))).toEqual(['creditLimit', 'reason']);
    await form.getByLabel('Credit limit', { exact: true }).fill('5000.00');
    await form.getByLabel('Reason for a credit limit change').fill('Paid on time for a year');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await finance.locator('#customer-credit-limit', { hasText: '5000.00' }).waitFor();
    expect(await finance.locator('#toast').textContent()).toBe('Saved.');
    expect((await get(`/customers/${customerId}`)).creditLimit).toBe('5000.00');
    const [change] = (await get(`/audit?resource=customer:${customerId}&action=customer.credit-limit.change`)).items;
    expect(change).toMatchObject({ actorId: h.users.finance.id, detail: { from: '800.00', to: '5000.00', reason: 'Paid on time for a year' } });

    await finance.locator('#cockpit-edit summary').click();
    await finance.getByRole('form', { name: 'Change the customer' }).getByLabel('Credit limit', { exact: true }).fill(above);
    await finance.getByRole('form', { name: 'Change the customer' }).getByLabel('Reason for a credit limit change').fill('Second site opens');
    await finance.getByRole('form', { name: 'Change the customer' }).getByRole('button', { name: 'Save changes' }).click();
    await finance.locator('#credit-requests-table').waitFor();
    expect(await finance.locator('#toast').textContent()).toMatch(new RegExp(`^The raise to ${above} awaits a second finance user \\(request \\d+\\); the limit stays 5000\\.00\\.$`));
    expect(await finance.locator('#customer-credit-limit').textContent()).toBe('5000.00');
    // The one who asked sees the request without buttons.
    expect(await cells(finance, '#credit-requests-table tbody tr'))
      .toEqual([[`5000.00 → ${above}`, expect.stringMatching(/^you, /), 'Second site opens', 'awaiting another finance user']]);
    expect(await finance.locator('#credit-requests button').count()).toBe(0);
    await screenshot(finance, '68-create-credit-raise-pending');

    const colleague = await financeColleague(h);
    const second = await chromium.signIn('finance', 'My tasks', colleague.auth.authorization.slice('Bearer '.length));
    await openHash(second, `#/customers/${customerId}`, /^Nordwind/);
    await second.getByLabel('Comment').fill('Second site checked');
    await second.getByRole('group', { name: /^Decide request/ }).getByRole('button', { name: 'Approve' }).click();
    await second.locator('#customer-credit-limit', { hasText: above }).waitFor();
    expect(await second.locator('#toast').textContent()).toBe(`Approved: the credit limit is now ${above}.`);
    await screenshot(second, '69-create-credit-raise-approved');

    expect((await get(`/customers/${customerId}`)).creditLimit).toBe(above);
    expect(await get(`/customers/${customerId}/credit-limit-requests`)).toEqual([expect.objectContaining({
      status: 'approved', fromLimit: '5000.00', toLimit: above, reason: 'Second site opens', requestedBy: h.users.finance.id, decidedBy: colleague.id, comment: 'Second site checked',
    })]);
  });
});
