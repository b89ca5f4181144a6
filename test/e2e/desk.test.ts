import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_KINDS } from '../../domain/tasks';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { buttonsOf, cells, consoleInChromium, listeningHarness } from '../helpers/console';
import { contractDriver } from '../helpers/contracts';
import type { Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { eventually } from '../helpers/wait';

// The desk (issue 16, item 2): the people who move orders and contracts do it from My tasks and the
// process pages, and the API records exactly what they did.

let h: Harness;
let base: string;

beforeAll(async () => { ({ h, base } = await listeningHarness({ worker: true })); });
afterAll(async () => { await h?.close(); });

describe('desk vocabulary', () => {
  it('has words for every kind of task', async () => {
    const { TASK_LABELS } = await import(new URL('../../console/vocab.js', import.meta.url).href);
    expect(Object.keys(TASK_LABELS).sort()).toEqual([...TASK_KINDS].sort());
  });
});

describe.skipIf(skipBrowserTests)('the desk in Chromium', () => {
  const chromium = consoleInChromium('desk', () => h, () => base);

  /** Signs `role`'s test user in; their home page is My tasks. */
  async function signIn(role: 'sales_manager' | 'finance' | 'fulfilment' | 'contract_admin'): Promise<Page> {
    const page = await chromium.signIn(role, 'My tasks');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tasks' }).getAttribute('aria-current')).toBe('');
    return page;
  }

  /** Opens the task's process page from its row, by keyboard. */
  async function openTask(page: Page, kind: string, id: string, heading: string) {
    const link = page.locator(`tr[data-task="${kind}"][data-process="${id}"] a`);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    expect(page.url()).toContain(`#/${kind.split('.')[0]}s/${id}`);
  }

  it('lets a sales manager approve an amendment from My tasks, seeing what it changes', { timeout: 120_000 }, async () => {
    const c = contractDriver(h);
    const contract = await c.active({ targetValue: '50000.00' });
    await c.act('contract_admin', contract.id, 'amend', { changes: { targetValue: '150000.00' }, reason: 'second site' });
    const page = await signIn('sales_manager');
    await page.locator(`tr[data-task="contract.approval"][data-process="${contract.id}"]`).waitFor();
    expect(await cells(page, `tr[data-process="${contract.id}"]`)).toEqual([
      ['no clock', 'contract to approve', expect.stringMatching(`^Contract ${contract.id} · value [0-9\\s]+\\.00 · ${contract.customerId}$`), 'approve, reject', expect.any(String)],
    ]);
    await screenshot(page, '40-desk-tasks-sales-manager');

    await openTask(page, 'contract.approval', contract.id, `Contract ${contract.id}`);
    await page.locator('#contract-status[data-status="active"]').waitFor();
    expect(await buttonsOf(page)).toEqual(['approve', 'reject']);
    // The amendment's diff against the version in force, and the round it opened.
    expect(await cells(page, 'li[data-version="2"] table.diff tbody tr')).toEqual([['target value', '50000.00', '150000.00']]);
    expect(await page.locator('li[data-round="2"][data-decision="pending"]').allTextContents()).toEqual(['sales manager: awaiting decision', 'finance: after the step before']);
    expect(await page.locator('.consumption .bar').getAttribute('aria-label')).toBe('Value: consumed 0.00 + reserved 0.00 of 50000.00 (0 %)');

    await page.locator('button[data-action="approve"]').click();
    await page.getByLabel('Comment').fill('Margin checked against the second site');
    await page.getByRole('form', { name: 'Approve' }).getByRole('button', { name: 'Approve' }).click();
    await page.locator('li[data-round="2"][data-step="0"][data-decision="approved"]').waitFor();
    expect(await page.locator('#toast').textContent()).toBe('Approve: done. The contract is now active, awaiting finance.');
    expect(await page.locator('li[data-round="2"][data-step="0"]').textContent()).toContain('by you (Test sales_manager)');
    expect(await buttonsOf(page)).toEqual([]);
    await screenshot(page, '41-desk-contract-amendment-approved');

    // The API records the step as decided by that user, with the comment.
    const detail = await c.get(contract.id);
    expect(detail.approvals.filter((a: { round: number }) => a.round === 2)).toEqual([
      expect.objectContaining({ step: 0, version: 2, role: 'sales_manager', decision: 'approved', actorId: h.users.sales_manager.id, comment: 'Margin checked against the second site' }),
    ]);
    expect(detail.live.approval).toMatchObject({ round: 2, awaiting: 'finance' });
    // And the task left the sales manager's list.
    await page.getByRole('link', { name: 'My tasks' }).click();
    await page.getByRole('heading', { name: 'My tasks', level: 1 }).waitFor();
    // Other test files may share the database, so only this contract's row is checked, once the list is drawn.
    await page.locator('table.tasks, p.empty').first().waitFor();
    expect(await page.locator(`tr[data-process="${contract.id}"]`).count()).toBe(0);
  });

  it('lets contract administration sign from My tasks, then amend prices and target, with a refusal in the API\'s words', { timeout: 120_000 }, async () => {
    const c = contractDriver(h);
    const product = await c.product('20.00');
    const draft = await c.draft({ targetValue: '50000.00', validFrom: c.inMs(-86_400_000) });
    await c.approve(draft.id);
    const page = await signIn('contract_admin');
    // Unsigned, the contract expires at its end date: the signature's clock runs to it.
    await page.locator(`tr[data-task="contract.signature"][data-process="${draft.id}"] time[data-due="${draft.validTo}"]`).waitFor();
    await openTask(page, 'contract.signature', draft.id, `Contract ${draft.id}`);
    await page.locator('#contract-status[data-status="approved"]').waitFor();
    expect(await buttonsOf(page)).toEqual(['sign', 'terminate']);
    await page.locator('button[data-action="sign"]').click();
    await page.getByRole('form', { name: 'Sign' }).getByRole('button', { name: 'Sign' }).click();
    await page.locator('#contract-status[data-status="active"]').waitFor();
    expect(await buttonsOf(page)).toEqual(expect.arrayContaining(['amend', 'renew', 'terminate']));

    await page.locator('button[data-action="amend"]').click();
    await page.getByLabel('Reason for the amendment').fill('volume pricing for the second site');
    await page.getByRole('form', { name: 'Amend' }).getByRole('button', { name: 'Amend' }).click();
    // Nothing changed: the API refuses (422) and the page says so in its words, keeping the form.
    await page.locator('#action-error', { hasText: 'an amendment needs at least one change' }).waitFor();
    await page.getByLabel('New target value (e.g. 150000.00)').fill('60000.00');
    await page.getByLabel(/New price list/).fill(`${product.sku} 12.50`);
    await page.getByRole('form', { name: 'Amend' }).getByRole('button', { name: 'Amend' }).click();
    await page.locator('li[data-version="2"] table.diff').waitFor();
    expect(await cells(page, 'li[data-version="2"] table.diff tbody tr')).toEqual([
      ['target value', '50000.00', '60000.00'], [`price ${product.sku}`, '—', '12.50'],
    ]);
    expect(await page.locator('#action-error').textContent()).toBe('');
    expect(await page.locator('li[data-version="1"]').textContent()).toContain('by Test agent');
    await screenshot(page, '46-desk-contract-amended');
    const detail = await c.get(draft.id);
    expect(detail.live.pendingAmendment).toMatchObject({ version: 2, targetValue: '60000.00', reason: 'volume pricing for the second site' });
    expect(detail.timeline.find((e: { action: string }) => e.action === 'sign')).toMatchObject({ actorId: h.users.contract_admin.id, fromStatus: 'approved' });
  });

  it('lets finance release a credit hold from My tasks, with the credit position in view', { timeout: 120_000 }, async () => {
    const o = orderDriver(h);
    const buyer = await o.customer('100.00');
    const product = await o.product({ stock: 30, listPrice: '10.00' });
    const held = await o.order({ customerId: buyer.id, lines: [{ sku: product.sku, qty: 20 }], paymentTerms: 'credit' });
    await o.reaches(held.id, 'credit_hold');
    // A complaint about the order names it; the order page lists it back.
    const complaint = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: h.users.agent.auth, payload: {
      customerId: buyer.id, channel: 'phone', category: 'billing', priority: 'low', subject: 'Order on hold', description: 'Why is my order held?', relatedTo: { type: 'order', id: held.id },
    } });
    expect(complaint.statusCode, complaint.body).toBe(201);
    const page = await signIn('finance');
    // Only credit holds, chosen by keyboard.
    await page.getByLabel('Kind').focus();
    await page.getByLabel('Kind').selectOption('order.credit_hold');
    await page.locator(`[data-kind="order.credit_hold"] tr[data-task="order.credit_hold"][data-process="${held.id}"]`).waitFor();
    expect(await page.locator('tr[data-task]:not([data-task="order.credit_hold"])').count()).toBe(0);
    // The hold's clock runs to the decision deadline (order.creditHoldTimeout after the hold).
    expect(await page.locator(`tr[data-process="${held.id}"] time[data-due]`).count()).toBe(1);

    await openTask(page, 'order.credit_hold', held.id, `Order ${held.id}`);
    await page.locator('#order-status[data-status="credit_hold"]').waitFor();
    expect(await buttonsOf(page)).toEqual(['credit-release', 'credit-reject', 'cancel']);
    // 20 × 10.00 at list price; no open receivables, so the exposure is this order: 200.00 against 100.00.
    expect(await cells(page, 'table.lines tbody tr')).toEqual([[`${product.sku}goods`, '20', '10.00', 'list price', '10.00', '200.00', '30 available (30 on hand, 0 held)']]);
    const credit = page.locator('section', { has: page.getByRole('heading', { name: 'Credit position' }) });
    expect(await credit.locator('dd').allTextContents()).toEqual(['100.00', '0.00', '200.00', '200.00 over by 100.00', expect.stringMatching(/^\d+h \d\dm$|^\d+d \d+h$/)]);
    expect(await cells(page, '#order-linked-tickets tbody tr')).toEqual([[complaint.json().id, 'Order on hold', 'new', held.id]]);
    await screenshot(page, '42-desk-order-credit-hold');

    await page.locator('button[data-action="credit-release"]').click();
    await page.getByLabel('Note').fill('Long-standing customer; paid on time');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#order-status[data-status="fulfilling"]').waitFor();
    const order = await o.get(held.id);
    expect(order.timeline.find((e: { action: string }) => e.action === 'credit-approve')).toMatchObject({
      actorId: h.users.finance.id, fromStatus: 'credit_hold', note: 'Long-standing customer; paid on time',
    });
    expect(await buttonsOf(page)).toEqual(['cancel']);

    // A cancellation now would release the stock held (a credit order is invoiced only on delivery), and the
    // form says so before anything is sent.
    await page.locator('button[data-action="cancel"]').click();
    expect(order.invoiceId).toBeNull();
    expect(await page.locator('ul.compensations li').allTextContents()).toEqual([`release the stock held for ${product.sku}`]);
    // The buttons step aside while a form is open.
    expect(await page.locator('[role=group][aria-label=Actions]').isVisible()).toBe(false);
    await screenshot(page, '43-desk-order-cancel-compensations');
    await page.keyboard.press('Escape');
    expect(await buttonsOf(page)).toEqual(['cancel']);
    expect((await o.get(held.id)).status).toBe('fulfilling');
  });

  it('lets fulfilment report an activation the platform did not confirm, from My tasks', { timeout: 120_000 }, async () => {
    const o = orderDriver(h);
    await o.settings({ 'order.activationTimeout': '1s' });
    const customer = await o.customer('1000.00');
    const service = await o.product({ kind: 'service', listPrice: '49.00' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: service.sku, qty: 1 }], paymentTerms: 'credit' });
    // The activation goes unconfirmed for the configured second; then the report is fulfilment's task.
    await eventually(() => o.call('fulfilment', 'GET', '/tasks?kind=order.activation_report'), (page) => page.items.some((t: { process: { id: string } }) => t.process.id === order.id));
    const page = await signIn('fulfilment');
    await page.locator(`tr[data-task="order.activation_report"][data-process="${order.id}"]`).waitFor();
    await screenshot(page, '44-desk-tasks-fulfilment');

    await openTask(page, 'order.activation_report', order.id, `Order ${order.id}`);
    await page.locator('#order-status[data-status="provisioning"]').waitFor();
    expect(await buttonsOf(page)).toEqual(['activation-report']);
    expect(await page.locator('#order-status').textContent()).toContain('activation report due');
    await page.locator('button[data-action="activation-report"]').click();
    await page.getByLabel('What was checked').fill('Port 12 live on the switch');
    await page.getByRole('form', { name: 'Report activation' }).getByRole('button', { name: 'Report activation' }).click();
    await o.reaches(order.id, 'completed');
    const done = await o.get(order.id);
    expect(done.timeline.find((e: { action: string }) => e.action === 'activation-report')).toMatchObject({
      actorId: h.users.fulfilment.id, actorName: 'Test fulfilment', fromStatus: 'provisioning', note: 'Port 12 live on the switch',
    });
    await page.locator('#order-status[data-status="completed"]').waitFor({ timeout: 15_000 });
    expect(await buttonsOf(page)).toEqual([]);
    await screenshot(page, '45-desk-order-activated');
  });
});
