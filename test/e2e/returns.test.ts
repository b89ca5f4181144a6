import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pageErrors, screenshot, skipBrowserTests } from '../helpers/browser';
import { openFromNav } from '../helpers/console';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';

// The console's returns page: an agent takes a return of a delivered order, fulfilment receives the goods
// and sees the credit note, in Chromium against the real stack.
let h: Harness;
let base: string;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['orders'] });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  if (!skipBrowserTests) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe.skipIf(skipBrowserTests)('returns in the console', () => {
  async function signedIn(auth: { authorization: string }, name: string) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${base}/console`);
    await page.getByLabel('API key').fill(auth.authorization.slice('Bearer '.length));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#user-name', { hasText: name }).waitFor();
    return { page, errors };
  }

  it('takes a return of a delivered order, and fulfilment receives it into a credit note', { timeout: 90_000 }, async () => {
    const o = orderDriver(h);
    const customer = await o.customer('5000.00');
    const product = await o.product({ stock: 5, listPrice: '19.90' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 3 }], paymentTerms: 'credit' });
    await o.reaches(order.id, 'fulfilling');
    await o.act('fulfilment', order.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
    await o.act('fulfilment', order.id, 'delivered', {});
    await o.reaches(order.id, 'completed');
    const { invoiceId } = await o.get(order.id);

    const agent = await signedIn(h.users.agent.auth, 'Test agent');
    try {
      await openFromNav(agent.page, 'Returns');
      await agent.page.getByLabel('Order').fill(order.id);
      await agent.page.getByRole('button', { name: 'Take a return' }).click();
      const form = agent.page.getByRole('form', { name: `Return goods of ${order.id}` });
      await form.getByLabel(`${product.sku}: of 3 delivered at 19.90`).fill('2');
      await form.getByLabel('Reason').fill('two too many');
      await form.getByRole('button', { name: 'Record return' }).click();
      await expect.poll(() => agent.page.locator('#toast').textContent()).toMatch(/^Return R-\d{4}-\d{6} recorded: 39\.80 to credit once the goods arrive\.$/);
      const row = agent.page.locator('tr[data-return]').first();
      await expect.poll(() => row.textContent()).toContain('awaiting the goods');
      expect(agent.errors).toEqual([]);
    } catch (error) {
      await screenshot(agent.page, 'returns-agent');
      throw error;
    }

    const fulfilment = await signedIn(h.users.fulfilment.auth, 'Test fulfilment');
    try {
      await openFromNav(fulfilment.page, 'Returns');
      await fulfilment.page.getByRole('heading', { name: 'Returns' }).waitFor();
      const row = fulfilment.page.locator('tr[data-return]').first();
      const returnId = await row.getAttribute('data-return');
      const receipt = fulfilment.page.getByRole('form', { name: `Receive ${returnId}` });
      await receipt.getByLabel(`2 × ${product.sku}`).selectOption('damaged');
      await receipt.getByRole('button', { name: 'Goods received' }).click();
      await expect.poll(() => fulfilment.page.locator(`tr[data-return="${returnId}"]`).textContent()).toMatch(new RegExp(`CN-\\d{4}-\\d{6}: 39\\.80 · 39\\.80 off ${invoiceId}$`));
      expect(fulfilment.errors).toEqual([]);
    } catch (error) {
      await screenshot(fulfilment.page, 'returns-fulfilment');
      throw error;
    }
  });
});
