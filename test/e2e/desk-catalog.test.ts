import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { cells, consoleInChromium, openFromNav } from '../helpers/console';
import { setUpCustomer } from '../helpers/customers';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';

// The catalogue and stock desk (issue 16): the admin keeps products, promotions and customer prices, and
// fulfilment books goods in, from the Products page; every role reads it. The catalogue is listed whole, so
// the file has a database of its own: its table holds this file's products only.
let fresh: FreshDatabase;
let h: Harness;
let base: string;

beforeAll(async () => {
  fresh = await freshDatabase();
  h = await startHarness({ worker: true, queues: ['orders', 'notifications'], env: { DATABASE_URL: fresh.url } });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await h?.close();
  await fresh?.drop();
});

/** YYYY-MM-DD `days` from today (UTC); a window of days around today is active in any business time zone. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function get(path: string) {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: h.users.admin.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** Who did `action` to `resource` (e.g. `product:SKU-1`), by the audit log. */
const actorsOf = async (resource: string, action: string) => (await get(`/audit?resource=${resource}&action=${action}`)).items.map((e: { actorId: string }) => e.actorId);

describe.skipIf(skipBrowserTests)('the catalogue and stock desk in Chromium', () => {
  const chromium = consoleInChromium('desk-catalog', () => h, () => base);

  async function openProducts(page: Page) {
    await openFromNav(page, 'Products');
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    await page.locator('#products-list[data-loaded]').waitFor();
  }

  it('lets the admin create a product, change its list price, add a promotion and a customer price, with refusals in the API\'s words', { timeout: 120_000 }, async () => {
    const sku = `CAT-${uniq()}`;
    const page = await chromium.signIn('admin', 'My tasks');
    await openProducts(page);

    const create = page.getByRole('form', { name: 'New product' });
    await create.getByLabel('SKU').fill(sku);
    await create.getByLabel('Name').fill('Router AX3000');
    await create.getByLabel('List price').fill('129.00');
    // A service has no stock to give: the field goes while service is chosen.
    await create.getByLabel('Kind').selectOption('service');
    expect(await create.getByLabel('Initial stock on hand').isHidden()).toBe(true);
    await create.getByLabel('Kind').selectOption('goods');
    await create.getByLabel('Initial stock on hand').fill('12');
    await create.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { name: `Router AX3000 (${sku})`, level: 1 }).waitFor();
    expect(await page.locator('#toast').textContent()).toBe(`Created ${sku} (Router AX3000).`);
    expect([await page.locator('#product-on-hand').textContent(), await page.locator('#product-held').textContent(), await page.locator('#product-available').textContent()]).toEqual(['12', '0', '12']);
    expect(await get(`/products/${sku}`)).toEqual({ sku, id: sku, status: 'active', name: 'Router AX3000', kind: 'goods', listPrice: '129.00', stockOnHand: 12, stockReserved: 0, stockAvailable: 12, createdAt: expect.any(String) });
    expect(await actorsOf(`product:${sku}`, 'product.create')).toEqual([h.users.admin.id]);

    // A new list price: only the changed field goes to the API, and the page shows what it answered.
    const edit = page.getByRole('form', { name: 'Name and list price' });
    await edit.getByLabel('List price').fill('119.00');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#product-list-price', { hasText: '119.00' }).waitFor();
    expect((await get(`/products/${sku}`)).listPrice).toBe('119.00');
    expect((await get(`/audit?resource=product:${sku}&action=product.update`)).items).toEqual([expect.objectContaining({ actorId: h.users.admin.id, detail: { listPrice: '119.00' } })]);

    // A promotion ending before it starts is refused; the form says why in the API's words and keeps what was typed.
    const promotion = page.getByRole('form', { name: `New promotion on ${sku}` });
    await promotion.getByLabel('Percent off').fill('12.5');
    await promotion.getByLabel('Valid from').fill(day(10));
    await promotion.getByLabel('Valid to').fill(day(1));
    await promotion.getByRole('button', { name: 'Create promotion' }).click();
    await page.locator('#promotion-new-error', { hasText: /./ }).waitFor();
    expect(await page.locator('#promotion-new-error').textContent()).toBe('validFrom is after validTo — /validTo: must not be before validFrom');
    expect((await get(`/promotions?sku=${sku}`)).items).toEqual([]);
    await promotion.getByLabel('Valid from').fill(day(-1));
    await promotion.getByLabel('Valid to').fill(day(30));
    await promotion.getByRole('button', { name: 'Create promotion' }).click();
    await page.locator('#product-promotions tbody tr').waitFor();
    const [created] = (await get(`/promotions?sku=${sku}`)).items;
    expect(created).toEqual({ id: expect.any(String), status: 'active', sku, percentOff: '12.50', validFrom: day(-1), validTo: day(30) });
    expect(await cells(page, '#product-promotions tbody tr')).toEqual([[created.id, 'this product', '12.50', day(-1), day(30), 'active']]);
    expect(await page.locator('#promotion-new-error').textContent()).toBe('');
    expect(await actorsOf(`promotion:${created.id}`, 'promotion.create')).toEqual([h.users.admin.id]);
    await screenshot(page, '75-catalog-product-admin');

    // The customer price sits on the customer's cockpit, next to what else is particular to them.
    const buyer = await setUpCustomer(h);
    await page.goto(`${base}/console#/customers/${buyer.id}`);
    await page.locator('#customer-prices-table, #cockpit-prices p.empty').first().waitFor();
    const prices = page.getByRole('form', { name: 'Set a customer price' });
    const unknown = `NOPE-${uniq()}`;
    await prices.getByLabel('SKU').fill(unknown);
    await prices.getByLabel('Unit price').fill('99.90');
    await prices.getByRole('button', { name: 'Set price' }).click();
    await page.locator('#customer-price-new-error', { hasText: /./ }).waitFor();
    expect(await page.locator('#customer-price-new-error').textContent()).toBe(`product ${unknown} does not exist`);
    await prices.getByLabel('SKU').fill(sku);
    await prices.getByRole('button', { name: 'Set price' }).click();
    await page.locator(`#customer-prices-table tr[data-key="${sku}"]`).waitFor();
    expect(await cells(page, '#customer-prices-table tbody tr')).toEqual([[sku, '99.90', expect.any(String)]]);
    expect(await page.locator('#toast').textContent()).toBe(`${sku} now costs 99.90 for this customer.`);
    expect(await get(`/customers/${buyer.id}/prices`)).toEqual([{ customerId: buyer.id, sku, unitPrice: '99.90', updatedAt: expect.any(String) }]);
    expect((await get(`/audit?resource=customer:${buyer.id}&action=customer.price.set`)).items).toEqual([expect.objectContaining({ actorId: h.users.admin.id, detail: { sku, unitPrice: '99.90' } })]);
    await screenshot(page, '76-catalog-customer-price');

    // The catalogue lists it with what the API holds.
    await openProducts(page);
    expect(await cells(page, `#products-table tr[data-key="${sku}"]`)).toEqual([[sku, 'Router AX3000', 'goods', '119.00', '12', '0', '12', 'active']]);
    // A SKU is taken once: a second product under it is refused and the first stays as it was.
    const again = page.getByRole('form', { name: 'New product' });
    await again.getByLabel('SKU').fill(sku);
    await again.getByLabel('Name').fill('Another router');
    await again.getByLabel('List price').fill('1.00');
    await again.getByRole('button', { name: 'Create product' }).click();
    await page.locator('#product-new-error', { hasText: /./ }).waitFor();
    expect(await page.locator('#product-new-error').textContent()).toBe(`product ${sku} already exists`);
    expect((await get(`/products/${sku}`)).name).toBe('Router AX3000');
  });

  it('lets fulfilment restock a product an order waits for: the stock on the page is the hand count and the order moves on', { timeout: 120_000 }, async () => {
    const o = orderDriver(h);
    const buyer = await o.customer();
    const product = await o.product({ stock: 2, listPrice: '10.00' });
    const waiting = await o.order({ customerId: buyer.id, lines: [{ sku: product.sku, qty: 5 }], paymentTerms: 'cod' });
    await o.reaches(waiting.id, 'backordered');

    const page = await chromium.signIn('fulfilment', 'My tasks');
    await openProducts(page);
    expect(await cells(page, `#products-table tr[data-key="${product.sku}"]`)).toEqual([[product.sku, 'Test product', 'goods', '10.00', '2', '0', '2', 'active']]);
    // Fulfilment keeps no catalogue: no product or promotion form.
    expect(await page.locator('#product-new, #promotion-new').count()).toBe(0);
    const link = page.locator(`#products-table tr[data-key="${product.sku}"] a`);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Test product (${product.sku})`, level: 1 }).waitFor();
    expect(await cells(page, '#product-backorders tbody tr')).toEqual([[waiting.id, buyer.id, '5', expect.any(String)]]);
    expect(await page.locator('#product-edit, #promotion-new').count()).toBe(0);

    // 2 on hand + 4 received = 6; the order's 5 are then held: 6 on hand, 5 held, 1 available.
    await page.getByLabel('Quantity received').fill('4');
    await page.getByRole('button', { name: 'Restock' }).click();
    await page.locator('#restock-result').waitFor();
    expect(await page.locator('#toast').textContent()).toBe(`Restocked ${product.sku}: on hand 2 → 6; woken: ${waiting.id}.`);
    expect(await page.locator('#restock-result dd').allTextContents()).toEqual(['2 → 6', '2 → 6', waiting.id]);
    await page.locator('#product-held', { hasText: '5' }).waitFor();
    expect([await page.locator('#product-on-hand').textContent(), await page.locator('#product-held').textContent(), await page.locator('#product-available').textContent()]).toEqual(['6', '5', '1']);
    await page.locator('#product-backorders.empty').waitFor();
    await screenshot(page, '77-catalog-restock');

    await o.reaches(waiting.id, 'fulfilling');
    expect((await o.get(waiting.id)).live.backorderedSkus).toEqual([]);
    expect(await o.stock(product.sku)).toEqual({ onHand: 6, reserved: 5 });
    expect(await get(`/products/${product.sku}/backorders`)).toEqual([]);
    expect((await get(`/audit?resource=product:${product.sku}&action=product.restock`)).items).toEqual([expect.objectContaining({ actorId: h.users.fulfilment.id, detail: { qty: 4 } })]);

  });

  it('shows an agent the catalogue, a product and a customer\'s prices without any form', { timeout: 60_000 }, async () => {
    const o = orderDriver(h);
    const product = await o.product({ stock: 3, listPrice: '4.50' });
    const buyer = await setUpCustomer(h);
    await o.call('sales_manager', 'PUT', `/customers/${buyer.id}/prices/${product.sku}`, { unitPrice: '4.00' });

    const page = await chromium.signIn('agent', 'Front line');
    await openProducts(page);
    expect(await cells(page, `#products-table tr[data-key="${product.sku}"]`)).toEqual([[product.sku, 'Test product', 'goods', '4.50', '3', '0', '3', 'active']]);
    expect(await page.locator('main form:not(.filters)').count()).toBe(0);
    await screenshot(page, '78-catalog-list-agent');

    await page.goto(`${base}/console#/products/${product.sku}`);
    await page.locator('#product-on-hand', { hasText: '3' }).waitFor();
    expect(await page.locator('main form').count()).toBe(0);

    await page.goto(`${base}/console#/customers/${buyer.id}`);
    await page.locator('#customer-prices-table').waitFor();
    expect(await cells(page, '#customer-prices-table tbody tr')).toEqual([[product.sku, '4.00', expect.any(String)]]);
    expect(await page.locator('#customer-price-new').count()).toBe(0);
  });
});
