import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { notificationOutbox, orderEvents, orderLines, orders, orderServices, payments, reservations, shipments } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import { CrmAmount, CrmKind, CrmStatus } from '../../domain/search-attributes';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { recordHistory } from '../helpers/histories';
import { eventually } from '../helpers/wait';
import { overrideSettings } from '../helpers/settings';

let h: Harness;
let o: ReturnType<typeof orderDriver>;

// Long enough that no human step in a test races a timer; the timeout tests shorten one window each.
const RELAXED = { 'order.creditHoldTimeout': '60s', 'order.backorderTimeout': '60s', 'order.activationTimeout': '60s', 'order.prepaidPaymentTimeout': '60s', 'order.invoiceDueDays': 30 };

let restoreSettings: (() => Promise<void>) | undefined;
beforeAll(async () => {
  h = await startHarness({ worker: true });
  o = orderDriver(h);
  restoreSettings = await overrideSettings(h, RELAXED);
});
afterAll(async () => {
  await restoreSettings?.();
  await h?.close();
});

/** Starts an order under one shortened window; the process keeps the settings it started with. */
async function withShortWindow(key: keyof typeof RELAXED, value: string, start: () => Promise<{ id: string }>) {
  await o.settings({ [key]: value });
  try {
    return await start();
  } finally {
    await o.settings(RELAXED);
  }
}

const lineOf = (sku: string, qty: number) => ({ sku, qty });
const actions = (detail: { timeline: Array<{ action: string }> }) => detail.timeline.map((e) => e.action);

describe('prepaid goods', () => {
  it('prices by customer price and promotion, waits for payment, ships, is delivered and completes', async () => {
    const customer = await o.customer();
    const [plain, special] = [await o.product({ stock: 10, listPrice: '12.50' }), await o.product({ stock: 5, listPrice: '100.00' })];
    await o.call('admin', 'PUT', `/customers/${customer.id}/prices/${special.sku}`, { unitPrice: '80.00' });
    const today = dayOf(Date.now());
    const promo = await o.call('admin', 'POST', '/promotions', { sku: special.sku, percentOff: 10, validFrom: today, validTo: today }, 201);

    const opened = await o.order({ customerId: customer.id, lines: [lineOf(plain.sku, 2), lineOf(special.sku, 1)], paymentTerms: 'prepaid', deliveryAddress: '1 Main St' });
    expect(opened.id).toMatch(/^SO-\d{4}-\d{6}$/);
    expect(opened.total).toBe('97.00'); // 2 × 12.50 + 80.00 − 10 %
    expect(opened.lines).toEqual([
      expect.objectContaining({ sku: plain.sku, priceRule: 'list', promotionId: null, unitPrice: '12.50', lineTotal: '25.00' }),
      expect.objectContaining({ sku: special.sku, priceRule: 'customer', promotionId: promo.id, unitPrice: '72.00', lineTotal: '72.00' }),
    ]);
    await o.reaches(opened.id, 'awaiting_payment');
    expect(await o.stock(plain.sku)).toEqual({ onHand: 10, reserved: 2 });

    await o.act('finance', opened.id, 'payments', { amount: '97.01', reference: 'BANK-1' }, 422);
    const paid = await o.act('finance', opened.id, 'payments', { amount: '97.00', reference: 'BANK-1' });
    expect(paid).toMatchObject({ status: 'fulfilling', allowedActions: ['cancel'] });
    expect(paid.paymentId).toMatch(/^PAY-/);
    const shipped = await o.act('fulfilment', opened.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
    expect(shipped.status).toBe('shipped');
    expect(await o.stock(plain.sku)).toEqual({ onHand: 8, reserved: 0 });
    await o.act('fulfilment', opened.id, 'delivered', {});
    await o.reaches(opened.id, 'completed');

    const detail = await o.get(opened.id);
    expect(actions(detail)).toEqual(['receive', 'price', 'reserve', 'await-payment', 'payment', 'ship', 'deliver', 'invoice', 'complete']);
    expect(detail.lines.map((l: { priceRule: string }) => l.priceRule)).toEqual(['list', 'customer']);
    expect(detail.shipment.deliveredAt).not.toBeNull();
    expect(await o.paymentsOf(opened.id)).toEqual([expect.objectContaining({ status: 'received', amount: '97.00' })]);
    const outbox = await h.database.db.select().from(notificationOutbox).where(eq(notificationOutbox.resourceId, opened.id));
    expect(outbox.map((n) => [n.kind, n.audience, n.data])).toContainEqual(['order.confirmed', [`customer:${customer.id}`], { number: opened.id, total: '97.00' }]);

    const description = await h.client.workflow.getHandle(`order-${opened.id}`).describe();
    expect(description.typedSearchAttributes.get(CrmKind)).toBe('order');
    expect(description.typedSearchAttributes.get(CrmStatus)).toBe('completed');
    expect(description.typedSearchAttributes.get(CrmAmount)).toBe(97);
    expect(await description.staticSummary()).toBe(`Order ${opened.id} · 2 lines · 97.00 · prepaid`);
    await recordHistory(h.client, `order-${opened.id}`, 'order-prepaid-goods');
  });
});

describe('credit terms', () => {
  it('holds an order beyond the credit limit until finance approves, invoices it and completes on a carrier event', async () => {
    const customer = await o.customer('100.00');
    const product = await o.product({ stock: 5, listPrice: '60.00' });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 2)], paymentTerms: 'credit' });
    await o.reaches(opened.id, 'credit_hold');
    await o.act('agent', opened.id, 'credit-decision', { approve: true }, 403);
    const approved = await o.act('finance', opened.id, 'credit-decision', { approve: true, note: 'good payer' });
    expect(['reserved', 'fulfilling']).toContain(approved.status);
    await o.reaches(opened.id, 'fulfilling');
    // Invoiced on delivery, not before: fulfilling and shipped orders have no invoice yet.
    expect(await o.invoicesOf(opened.id)).toEqual([]);

    const trackingNo = `TRK-${uniq()}`;
    await o.act('fulfilment', opened.id, 'shipments', { carrier: 'UPS', trackingNo });
    expect(await o.invoicesOf(opened.id)).toEqual([]);
    const event = await o.call('fulfilment', 'POST', '/webhooks/carrier', { trackingNo, event: 'delivered' }, 202);
    expect(event).toEqual({ orderId: opened.id, accepted: true });
    await o.reaches(opened.id, 'completed');
    const detail = await o.get(opened.id);
    const [invoice] = await o.invoicesOf(opened.id);
    const deliveredOn = dayOf(Date.parse(detail.shipment.deliveredAt));
    expect(invoice).toEqual({ id: detail.invoiceId, status: 'open', amount: '120.00', issuedOn: deliveredOn, dueOn: addDays(deliveredOn, 30) });
    expect(actions(detail)).toEqual(['receive', 'price', 'credit-hold', 'credit-approve', 'fulfil', 'ship', 'deliver', 'invoice', 'complete']);
    expect(detail.invoiceId).toBe(invoice!.id);
    await recordHistory(h.client, `order-${opened.id}`, 'order-credit-invoice');
  });

  it('keeps a fulfilling order committed against the limit until it is invoiced, then counts the open invoice', async () => {
    const customer = await o.customer('150.00');
    const product = await o.product({ stock: 5, listPrice: '60.00' });
    const first = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 2)], paymentTerms: 'credit' });
    await o.reaches(first.id, 'fulfilling');
    expect(await o.invoicesOf(first.id)).toEqual([]);
    // 120.00 committed by the first order + 60.00 = 180.00 > 150.00.
    const held = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' });
    await o.reaches(held.id, 'credit_hold');
    expect((await o.get(held.id)).live.credit).toEqual({ withinLimit: false, exposure: '180.00', limit: '150.00' });

    await o.act('fulfilment', first.id, 'shipments', { carrier: 'UPS', trackingNo: `TRK-${uniq()}` });
    await o.act('fulfilment', first.id, 'delivered', {});
    await o.reaches(first.id, 'completed');
    expect(await o.invoicesOf(first.id)).toEqual([expect.objectContaining({ status: 'open', amount: '120.00' })]);
    // Now the open invoice counts instead of the commitment, and not both: 120.00 + 60.00 again.
    const second = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' });
    await o.reaches(second.id, 'credit_hold');
    expect((await o.get(second.id)).live.credit).toEqual({ withinLimit: false, exposure: '180.00', limit: '150.00' });
  });

  it('counts credit orders let through and not yet invoiced, so simultaneous orders cannot together pass the limit', async () => {
    const customer = await o.customer('100.00');
    const product = await o.product({ stock: 50, listPrice: '30.00' });
    const placed = await Promise.all(Array.from({ length: 6 }, () => o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' })));
    const settled = await Promise.all(placed.map((order) => eventually(() => o.get(order.id), (d) => ['fulfilling', 'credit_hold'].includes(d.status))));
    // Room for three orders of 30.00 in 100.00: exactly three pass, whatever order the checks ran in.
    expect(settled.filter((d) => d.status === 'fulfilling')).toHaveLength(3);
    expect(settled.filter((d) => d.status === 'credit_hold').map((d) => d.live.credit)).toEqual(Array(3).fill({ withinLimit: false, exposure: '120.00', limit: '100.00' }));
    // A cancelled order gives its room back.
    const passed = settled.find((d) => d.status === 'fulfilling')!;
    await o.act('agent', passed.id, 'cancel', { reason: 'customer changed their mind' });
    await o.reaches(passed.id, 'cancelled');
    const next = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' });
    await o.reaches(next.id, 'fulfilling');
    expect((await o.get(next.id)).live.credit).toEqual({ withinLimit: true, exposure: '90.00', limit: '100.00' });
  });

  it('cancels the order when finance rejects the credit, releasing the held nothing', async () => {
    const customer = await o.customer('10.00');
    const product = await o.product({ stock: 5, listPrice: '60.00' });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' });
    await o.reaches(opened.id, 'credit_hold');
    const rejected = await o.act('finance', opened.id, 'credit-decision', { approve: false, note: 'overdue elsewhere' });
    expect(rejected).toMatchObject({ status: 'cancelled', cancelReason: 'credit rejected: overdue elsewhere' });
    expect(await o.stock(product.sku)).toEqual({ onHand: 5, reserved: 0 });
    expect(await o.invoicesOf(opened.id)).toEqual([]);
  });

  it('cancels the order when no credit decision comes within the hold window', async () => {
    const customer = await o.customer('10.00');
    const product = await o.product({ stock: 5, listPrice: '60.00' });
    const opened = await withShortWindow('order.creditHoldTimeout', '2s', () => o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' }));
    await o.reaches(opened.id, 'cancelled', 15_000);
    const detail = await o.get(opened.id);
    expect(detail.cancelReason).toBe('no credit decision within 2s');
    expect(actions(detail).at(-1)).toBe('timeout');
  });
});

describe('backorders', () => {
  it('backorders short stock and reserves it when a restock arrives', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 1 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 3)], paymentTerms: 'cod' });
    await o.reaches(opened.id, 'backordered');
    expect((await o.get(opened.id)).live.backorderedSkus).toEqual([product.sku]);
    expect(await o.stock(product.sku)).toEqual({ onHand: 1, reserved: 0 });
    // Who waits for the sku is readable before the restock (the Products page shows it to fulfilment).
    expect(await o.call('agent', 'GET', `/products/${product.sku}/backorders`)).toEqual([{ orderId: opened.id, customerId: customer.id, qty: 3, waitingSince: expect.any(String) }]);
    await o.call('agent', 'GET', `/products/NOPE-${uniq()}/backorders`, undefined, 404);
    await o.call('agent', 'POST', `/products/${product.sku}/restock`, { qty: 5 }, 403);
    const restocked = await o.call('fulfilment', 'POST', `/products/${product.sku}/restock`, { qty: 5 });
    expect(restocked).toMatchObject({ stockOnHand: 6, wokenOrders: [opened.id] });
    await o.reaches(opened.id, 'fulfilling');
    expect(await o.stock(product.sku)).toEqual({ onHand: 6, reserved: 3 });
    expect(await o.call('agent', 'GET', `/products/${product.sku}/backorders`)).toEqual([]);

    // Cash on delivery: the payment is recorded when the parcel arrives.
    await o.act('fulfilment', opened.id, 'shipments', { carrier: 'DPD', trackingNo: `TRK-${uniq()}` });
    expect(await o.paymentsOf(opened.id)).toEqual([]);
    await o.act('fulfilment', opened.id, 'delivered', {});
    await o.reaches(opened.id, 'completed');
    expect(await o.paymentsOf(opened.id)).toEqual([expect.objectContaining({ status: 'received', amount: '30.00' })]);
  });

  it('reserves exactly the stock there is when 50 orders race for 20 units', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 20 });
    const opened = await Promise.all(Array.from({ length: 50 }, () => o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'cod' })));
    const settled = await Promise.all(opened.map(async ({ id }) => (await o.reaches(id, ['fulfilling', 'backordered'], 60_000)).status));
    expect(settled.filter((s) => s === 'fulfilling')).toHaveLength(20);
    expect(settled.filter((s) => s === 'backordered')).toHaveLength(30);
    expect(await o.stock(product.sku)).toEqual({ onHand: 20, reserved: 20 });
    const held = await h.database.db.select().from(reservations).where(and(eq(reservations.sku, product.sku), eq(reservations.status, 'held')));
    expect(held).toHaveLength(20);
  }, 120_000);
});

describe('services', () => {
  it('opens an activation report task when activation is not confirmed in time, and a manual report activates', async () => {
    const customer = await o.customer('5000.00');
    const service = await o.product({ kind: 'service', listPrice: '49.00' });
    const opened = await withShortWindow('order.activationTimeout', '1s', () => o.order({ customerId: customer.id, lines: [lineOf(service.sku, 1)], paymentTerms: 'credit' }));
    await o.reaches(opened.id, 'provisioning');
    await expect.poll(async () => (await o.get(opened.id)).live.activationReportOpen, { timeout: 15_000, interval: 200 }).toBe(true);
    // The task is queued right after the flag shows in the live state, so it may land a moment later.
    await expect.poll(async () => (await h.database.db.select().from(notificationOutbox)
      .where(and(eq(notificationOutbox.resourceId, opened.id), eq(notificationOutbox.kind, 'order.activation_requested'))))[0]?.audience, { timeout: 10_000, interval: 100 })
      .toEqual(['role:fulfilment']);
    expect((await o.get(opened.id)).status).toBe('provisioning');

    const reported = await o.act('fulfilment', opened.id, 'activation-report', { note: 'checked on the switch' });
    expect(reported.status).toBe('activated');
    await o.reaches(opened.id, 'completed');
    const [line] = await h.database.db.select().from(orderServices).where(eq(orderServices.orderId, opened.id));
    expect(line).toMatchObject({ status: 'active', activatedBy: h.users.fulfilment.id });
    expect(actions(await o.get(opened.id))).toEqual(['receive', 'price', 'reserve', 'fulfil', 'provision', 'activation-task', 'activation-report', 'invoice', 'complete']);
  });

  it('activates when the provisioning platform confirms in time', async () => {
    const customer = await o.customer();
    const service = await o.product({ kind: 'service', listPrice: '19.00' });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(service.sku, 2)], paymentTerms: 'cod' });
    await o.reaches(opened.id, 'provisioning');
    await o.call('fulfilment', 'POST', '/webhooks/provisioning', { orderId: opened.id, event: 'activated' }, 202);
    await o.reaches(opened.id, 'completed');
    expect(await o.paymentsOf(opened.id)).toEqual([expect.objectContaining({ amount: '38.00' })]);
  });
});

describe('cancellation', () => {
  async function expectNothingLeft(orderId: string, sku: string, stockBefore: number) {
    expect(await o.stock(sku)).toEqual({ onHand: stockBefore, reserved: 0 });
    const open = await h.database.db.select().from(reservations).where(eq(reservations.orderId, orderId));
    expect(open.filter((r) => r.status === 'held' || r.status === 'waiting')).toEqual([]);
    expect((await o.paymentsOf(orderId)).filter((p) => p.status !== 'refunded')).toEqual([]);
    expect((await o.invoicesOf(orderId)).filter((i) => i.status !== 'void')).toEqual([]);
  }

  it('in credit hold', async () => {
    const customer = await o.customer('1.00');
    const product = await o.product({ stock: 4 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'credit' });
    await o.reaches(opened.id, 'credit_hold');
    expect(await o.act('agent', opened.id, 'cancel', { reason: 'customer changed mind' })).toMatchObject({ status: 'cancelled' });
    await expectNothingLeft(opened.id, product.sku, 4);
  });

  it('while backordered', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 1 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 2)], paymentTerms: 'cod' });
    await o.reaches(opened.id, 'backordered');
    await o.act('supervisor', opened.id, 'cancel', { reason: 'too slow' });
    await expectNothingLeft(opened.id, product.sku, 1);
    expect((await o.call('fulfilment', 'POST', `/products/${product.sku}/restock`, { qty: 1 })).wokenOrders).toEqual([]);
  });

  it('awaiting payment: stock goes back', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 4 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 3)], paymentTerms: 'prepaid' });
    await o.reaches(opened.id, 'awaiting_payment');
    await o.act('agent', opened.id, 'cancel', { reason: 'duplicate' });
    await expectNothingLeft(opened.id, product.sku, 4);
  });

  it('after prepayment: payment refunded and stock back', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 4 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 2)], paymentTerms: 'prepaid' });
    await o.reaches(opened.id, 'awaiting_payment');
    await o.act('finance', opened.id, 'payments', { amount: '20.00', reference: 'CARD-9' });
    const cancelled = await o.act('finance', opened.id, 'cancel', { reason: 'address invalid' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'address invalid' });
    await expectNothingLeft(opened.id, product.sku, 4);
    expect(await o.paymentsOf(opened.id)).toEqual([expect.objectContaining({ status: 'refunded' })]);
    await recordHistory(h.client, `order-${opened.id}`, 'order-cancelled-after-payment');
  });

  it('fulfilling on credit: nothing invoiced and stock back', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 4 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 2)], paymentTerms: 'credit' });
    await o.reaches(opened.id, 'fulfilling');
    await o.act('agent', opened.id, 'cancel', { reason: 'no longer needed' });
    await expectNothingLeft(opened.id, product.sku, 4);
    expect(await o.invoicesOf(opened.id)).toEqual([]);
  });

  it('while provisioning: services are released', async () => {
    const customer = await o.customer();
    const service = await o.product({ kind: 'service' });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(service.sku, 1)], paymentTerms: 'credit' });
    await o.reaches(opened.id, 'provisioning');
    await expect.poll(async () => (await h.database.db.select().from(orderServices).where(eq(orderServices.orderId, opened.id)))[0]?.status, { timeout: 10_000 }).toBe('activation_requested');
    await o.act('agent', opened.id, 'cancel', { reason: 'wrong plan' });
    const [line] = await h.database.db.select().from(orderServices).where(eq(orderServices.orderId, opened.id));
    expect(line?.status).toBe('released');
    expect(await o.invoicesOf(opened.id)).toEqual([]);
  });

  it('is refused once the goods have shipped, naming the state and what is still possible', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 4 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'cod' });
    await o.reaches(opened.id, 'fulfilling');
    await o.act('fulfilment', opened.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
    const refused = await o.act('agent', opened.id, 'cancel', { reason: 'too late' }, 409);
    // The allowed actions are the caller's: an agent can do nothing more with a shipped order.
    expect(refused).toMatchObject({ status: 409, state: 'shipped', allowedActions: [] });
  });
});

describe('refusals', () => {
  it('answers 409, 422, 403 and 404 as the API conventions say', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 4 });
    const base = { customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'prepaid' };
    expect((await o.order({ ...base, lines: [lineOf('NO-SUCH-SKU', 1)] }, 422)).detail).toBe('unknown sku NO-SUCH-SKU');
    expect((await o.order({ ...base, lines: [lineOf(product.sku, 10_001)] }, 422)).errors).toEqual([{ path: '/lines/0/qty', message: 'at most 10000 per line' }]);
    await o.order({ ...base, lines: [lineOf(product.sku, 1), lineOf(product.sku, 2)] }, 422);
    await o.order({ ...base, customerId: 'CUS-999999' }, 422);
    const noCredit = await o.customer('0.00');
    await o.order({ ...base, customerId: noCredit.id, paymentTerms: 'credit' }, 422);
    expect((await o.order({ ...base, contractId: 'C-1999-999999' }, 422)).detail).toBe('contract C-1999-999999 does not exist');
    await o.order({ ...base, lines: [lineOf(product.sku, 0)] }, 400);
    await o.call('fulfilment', 'POST', '/orders', base, 403);

    const opened = await o.order(base);
    await o.reaches(opened.id, 'awaiting_payment');
    const conflict = await o.act('finance', opened.id, 'credit-decision', { approve: true }, 409);
    expect(conflict).toMatchObject({ state: 'awaiting_payment', allowedActions: ['payments', 'cancel'] });
    expect((await o.act('fulfilment', opened.id, 'shipments', { carrier: 'DHL', trackingNo: 'X' }, 409)).state).toBe('awaiting_payment');
    await o.act('agent', opened.id, 'payments', { amount: '10.00', reference: 'R' }, 403);
    await o.act('finance', opened.id, 'payments', { amount: '9.99', reference: 'R' }, 422);
    await o.act('finance', 'SO-2026-999999', 'cancel', { reason: 'x' }, 404);
    await o.call('manager', 'GET', '/orders/SO-2026-999999', undefined, 404);
  });

  it('lists orders by status, customer and payment terms, page by page', async () => {
    const customer = await o.customer();
    const product = await o.product({ stock: 10 });
    for (let i = 0; i < 3; i++) await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 1)], paymentTerms: 'prepaid' });
    const first = await o.call('manager', 'GET', `/orders?customerId=${customer.id}&paymentTerms=prepaid&limit=2`);
    expect(first.items).toHaveLength(2);
    const second = await o.call('manager', 'GET', `/orders?customerId=${customer.id}&paymentTerms=prepaid&limit=2&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await o.call('manager', 'GET', `/orders?customerId=${customer.id}&paymentTerms=cod`)).items).toEqual([]);
    expect((await o.call('manager', 'GET', `/orders?customerId=${customer.id}&status=cancelled`)).items).toEqual([]);
  });
});

describe('activities are idempotent', () => {
  it('leaves the same rows when every order activity runs twice', async () => {
    const acts = createActivities({ db: h.database.db, config: h.config });
    const customer = await o.customer();
    const product = await o.product({ stock: 5 });
    const service = await o.product({ kind: 'service' });
    const id = `SO-TEST-${uniq()}`;
    const twice = async (run: () => Promise<unknown>) => [await run(), await run()];
    const snapshot = async () => ({
      order: await h.database.db.select().from(orders).where(eq(orders.id, id)),
      lines: await h.database.db.select().from(orderLines).where(eq(orderLines.orderId, id)),
      events: await h.database.db.select().from(orderEvents).where(eq(orderEvents.orderId, id)),
      reservations: await h.database.db.select().from(reservations).where(eq(reservations.orderId, id)),
      services: await h.database.db.select().from(orderServices).where(eq(orderServices.orderId, id)),
      shipments: await h.database.db.select().from(shipments).where(eq(shipments.orderId, id)),
      payments: await h.database.db.select().from(payments).where(eq(payments.orderId, id)),
      invoices: await o.invoicesOf(id),
      stock: await o.stock(product.sku),
    });
    const expectSameAfterRerun = async (run: () => Promise<unknown>) => {
      const [first, second] = await twice(async () => { const result = await run(); return { result, rows: await snapshot() }; });
      expect(second).toEqual(first);
    };
    const at = Date.now();
    const order = { id, workflowId: `order-${id}`, customerId: customer.id, paymentTerms: 'credit' as const, contractId: null, deliveryAddress: null, status: 'priced' as const, totalCents: 2000, invoiceId: null, paymentId: null, cancelReason: null, createdBy: 'test', createdAt: at, closedAt: null,
      lineCount: 1, hasGoods: true, hasServices: false, activationReportOpen: false, creditHoldMs: 60_000, fourEyes: true };
    const line = { sku: product.sku, kind: 'goods' as const, qty: 2, rule: 'list' as const, baseUnitCents: 1000, promotionId: null, percentOff: null, unitPriceCents: 1000, lineTotalCents: 2000 };
    await expectSameAfterRerun(() => acts.recordOrder({ order, event: { seq: 0, action: 'price', actorId: 'test', fromStatus: null, toStatus: 'priced', note: null, at }, lines: [line] }));
    await expectSameAfterRerun(() => acts.reserveStock({ orderId: id, lines: [{ sku: product.sku, qty: 2 }] }));
    expect(await o.stock(product.sku)).toEqual({ onHand: 5, reserved: 2 });
    await expectSameAfterRerun(() => acts.issueInvoice({ dedupeKey: `order:${id}`, customerId: customer.id, orderId: id, description: 'test', amountCents: 2000, issuedOn: '2026-01-10', dueOn: '2026-02-09' }));
    await expectSameAfterRerun(() => acts.recordPayment({ dedupeKey: `order:${id}:payment`, customerId: customer.id, orderId: id, amountCents: 2000, reference: 'R', receivedAt: at, recordedBy: 'test' }));
    const paymentId = (await o.paymentsOf(id))[0]!.id;
    const invoiceId = (await o.invoicesOf(id))[0]!.id;
    await expectSameAfterRerun(() => acts.allocateServices({ orderId: id, lines: [{ sku: service.sku, qty: 1 }] }));
    await expectSameAfterRerun(() => acts.configureServices({ orderId: id }));
    await expectSameAfterRerun(() => acts.requestActivation({ orderId: id }));
    await expectSameAfterRerun(() => acts.releaseServices({ orderId: id }));
    await expectSameAfterRerun(() => acts.refundPayment({ paymentId }));
    await expectSameAfterRerun(() => acts.voidInvoice({ invoiceId }));
    await expectSameAfterRerun(() => acts.releaseStock({ orderId: id }));
    expect(await o.stock(product.sku)).toEqual({ onHand: 5, reserved: 0 });
    await expectSameAfterRerun(() => acts.notify({ dedupeKey: `order-${id}:confirmation`, kind: 'order.confirmed', audience: [`customer:${customer.id}`], resource: { type: 'order', id }, data: { number: id, total: '1.00' } }));
  });

  it('ships held stock once, however often the shipment is recorded', async () => {
    const acts = createActivities({ db: h.database.db, config: h.config });
    const customer = await o.customer();
    const product = await o.product({ stock: 5 });
    const opened = await o.order({ customerId: customer.id, lines: [lineOf(product.sku, 2)], paymentTerms: 'cod' });
    await o.reaches(opened.id, 'fulfilling');
    const ship = { orderId: opened.id, carrier: 'DHL', trackingNo: `TRK-${uniq()}`, shippedBy: 'test', at: Date.now() };
    await acts.recordShipment(ship);
    await acts.recordShipment(ship);
    expect(await o.stock(product.sku)).toEqual({ onHand: 3, reserved: 0 });
    await acts.recordDelivery({ orderId: opened.id, deliveredBy: 'test', at: Date.now() });
    const [first] = await h.database.db.select().from(shipments).where(eq(shipments.orderId, opened.id));
    await acts.recordDelivery({ orderId: opened.id, deliveredBy: 'other', at: Date.now() + 1000 });
    expect((await h.database.db.select().from(shipments).where(eq(shipments.orderId, opened.id)))[0]).toEqual(first);
  });
});
