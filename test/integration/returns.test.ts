import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { creditNotes, notificationOutbox, returnLines, returns, shipments } from '../../db/schema';
import { addDays, dayOf } from '../../domain/dates';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { orderDriver } from '../helpers/orders';
import { overrideSettings } from '../helpers/settings';

// Returns (RMA) and credit notes through the API, on the real Temporal server and PostgreSQL.
let h: Harness;
let o: ReturnType<typeof orderDriver>;
let restoreSettings: (() => Promise<void>) | undefined;

const SETTINGS = {
  'order.returnWindowDays': 30, 'order.invoiceDueDays': 30, 'order.creditHoldTimeout': '60s', 'order.backorderTimeout': '60s',
  'order.prepaidPaymentTimeout': '60s', 'invoice.lateFeeRatePerDay': 0.003, 'invoice.lateFeeMaxDays': 90, 'invoice.lateFeeCap': '3000.00',
};

beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['orders'] });
  o = orderDriver(h);
  restoreSettings = await overrideSettings(h, SETTINGS);
});
afterAll(async () => {
  await restoreSettings?.();
  await h?.close();
});

const line = (sku: string, qty: number) => ({ sku, qty });

/** An order taken, paid when prepaid, shipped and delivered, and completed. */
async function deliveredOrder(paymentTerms: 'credit' | 'prepaid' | 'cod', lines: Array<{ sku: string; qty: number }>, customerId?: string) {
  const customer = customerId ?? (await o.customer('5000.00')).id;
  const opened = await o.order({ customerId: customer, lines, paymentTerms });
  if (paymentTerms === 'prepaid') {
    await o.reaches(opened.id, 'awaiting_payment');
    await o.act('finance', opened.id, 'payments', { amount: opened.total, reference: `BANK-${uniq()}` });
  }
  await o.reaches(opened.id, 'fulfilling');
  await o.act('fulfilment', opened.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
  await o.act('fulfilment', opened.id, 'delivered', {});
  await o.reaches(opened.id, 'completed');
  return o.get(opened.id);
}

const returnGoods = (orderId: string, body: object, expected = 201, role: 'agent' | 'fulfilment' = 'agent') => o.call(role, 'POST', `/orders/${orderId}/returns`, body, expected);
const receive = (returnId: string, lines: Array<{ sku: string; condition: string }>, expected = 200) => o.call('fulfilment', 'POST', `/returns/${returnId}/received`, { lines }, expected);

describe('returns on credit terms', () => {
  it('credits partial returns against the open invoice at the prices charged, restocks what is resaleable and recomputes the late fee', async () => {
    const [a, b] = [await o.product({ stock: 10, listPrice: '25.00' }), await o.product({ stock: 10, listPrice: '40.00' })];
    const order = await deliveredOrder('credit', [line(a.sku, 4), line(b.sku, 2)]);
    expect(order.total).toBe('180.00'); // 4 × 25.00 + 2 × 40.00
    const invoiceId: string = order.invoiceId;
    const invoice = await o.call('finance', 'GET', `/invoices/${invoiceId}`);
    expect(await o.stock(a.sku)).toEqual({ onHand: 6, reserved: 0 });
    // Ten days overdue before any return: 180.00 × 0.003 × 10 = 5.40.
    const tenDaysLate = addDays(invoice.dueOn, 10);
    expect(await o.call('finance', 'GET', `/invoices/${invoiceId}?asOf=${tenDaysLate}`)).toMatchObject({ lateFee: '5.40', amountDue: '185.40' });

    const first = await returnGoods(order.id, { lines: [line(a.sku, 1)], reason: 'wrong colour' });
    expect(first.id).toMatch(/^R-\d{4}-\d{6}$/);
    expect(first).toMatchObject({
      orderId: order.id, customerId: order.customerId, status: 'awaiting_goods', total: '25.00', creditNoteId: null, allowedActions: [],
      lines: [{ sku: a.sku, qty: 1, unitPrice: '25.00', lineTotal: '25.00', condition: null }],
    });
    await o.call('agent', 'POST', `/returns/${first.id}/received`, { lines: [{ sku: a.sku, condition: 'resaleable' }] }, 403);
    expect((await receive(first.id, [{ sku: b.sku, condition: 'resaleable' }], 422)).errors).toEqual([
      { path: '/lines/0/sku', message: `${b.sku} is not part of this return` }, { path: '/lines', message: `the condition of ${a.sku} is missing` },
    ]);
    const credited = await receive(first.id, [{ sku: a.sku, condition: 'resaleable' }]);
    expect(credited).toMatchObject({ status: 'credited', lines: [{ sku: a.sku, condition: 'resaleable' }] });
    expect(credited.creditNoteId).toMatch(/^CN-\d{4}-\d{6}$/);
    await receive(first.id, [{ sku: a.sku, condition: 'resaleable' }], 409);
    expect(await o.stock(a.sku)).toEqual({ onHand: 7, reserved: 0 });
    expect(await o.call('finance', 'GET', `/credit-notes/${credited.creditNoteId}`)).toEqual({
      id: credited.creditNoteId, customerId: order.customerId, orderId: order.id, returnId: first.id, invoiceId, amount: '25.00',
      appliedToInvoice: '25.00', creditBalance: '0.00', appliedLater: '0.00', applications: [], refundAmount: '0.00', refundOfPaymentId: null, issuedOn: dayOf(Date.now()),
    });
    // 155.00 still owed; the late fee is counted on it: 155.00 × 0.003 × 10 = 4.65.
    expect(await o.call('finance', 'GET', `/invoices/${invoiceId}?asOf=${tenDaysLate}`)).toMatchObject({
      status: 'open', amount: '180.00', creditedAmount: '25.00', paidAmount: '0.00', lateFee: '4.65', amountDue: '159.65',
    });

    // Four more of A were never delivered: 3 are left to return.
    const over = await returnGoods(order.id, { lines: [line(a.sku, 4)], reason: 'all of them' }, 422);
    expect(over.errors).toEqual([{ path: '/lines/0/qty', message: `${a.sku}: 4 delivered, 1 already returned, at most 3 can be returned` }]);

    // The rest comes back, B damaged: 3 × 25.00 + 2 × 40.00 = 155.00 settles the invoice.
    const rest = await returnGoods(order.id, { lines: [line(a.sku, 3), line(b.sku, 2)], reason: 'cancelled project' }, 201, 'fulfilment');
    expect(rest.total).toBe('155.00');
    const full = await receive(rest.id, [{ sku: a.sku, condition: 'resaleable' }, { sku: b.sku, condition: 'damaged' }]);
    expect(await o.call('finance', 'GET', `/credit-notes/${full.creditNoteId}`)).toMatchObject({ amount: '155.00', appliedToInvoice: '155.00', creditBalance: '0.00' });
    expect(await o.call('finance', 'GET', `/invoices/${invoiceId}?asOf=${tenDaysLate}`)).toMatchObject({
      status: 'paid', creditedAmount: '180.00', paidOn: dayOf(Date.now()), lateFee: '0.00', amountDue: '0.00',
    });
    expect(await o.stock(a.sku)).toEqual({ onHand: 10, reserved: 0 });
    expect(await o.stock(b.sku)).toEqual({ onHand: 8, reserved: 0 });
    await returnGoods(order.id, { lines: [line(a.sku, 1)], reason: 'again' }, 422);

    const listed = await o.call('manager', 'GET', `/returns?orderId=${order.id}`);
    expect(listed.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[rest.id, 'credited'], [first.id, 'credited']]);
    expect(await o.call('manager', 'GET', `/returns/${first.id}`)).toMatchObject({ status: 'credited', creditNoteId: credited.creditNoteId, receivedAt: expect.any(String) });
    const outbox = await h.database.db.select().from(notificationOutbox).where(eq(notificationOutbox.resourceId, order.id));
    expect(outbox.filter((n) => n.kind === 'return.received').map((n) => n.data)).toContainEqual(
      { number: first.id, orderId: order.id, creditNoteId: credited.creditNoteId, amount: '25.00' },
    );
    await recordHistory(h.client, `return-${first.id}`, 'return-credited');
  });

  it('leaves a credit balance for what the paid part of the invoice no longer owes', async () => {
    const product = await o.product({ stock: 5, listPrice: '25.00' });
    const order = await deliveredOrder('credit', [line(product.sku, 2)]);
    const paid = await o.call('finance', 'POST', '/payments', { customerId: order.customerId, amount: '30.00', reference: `BANK-${uniq()}` }, 201);
    expect(paid.allocations).toEqual([{ invoiceId: order.invoiceId, amount: '30.00', lateFee: '0.00' }]);
    const ret = await returnGoods(order.id, { lines: [line(product.sku, 2)], reason: 'not needed' });
    const credited = await receive(ret.id, [{ sku: product.sku, condition: 'resaleable' }]);
    // 50.00 credited: 20.00 still open on the invoice, 30.00 already paid goes to the customer's balance.
    expect(await o.call('finance', 'GET', `/credit-notes/${credited.creditNoteId}`)).toMatchObject({ amount: '50.00', appliedToInvoice: '20.00', creditBalance: '30.00', refundAmount: '0.00' });
    expect(await o.call('finance', 'GET', `/invoices/${order.invoiceId}`)).toMatchObject({ status: 'paid', paidAmount: '30.00', creditedAmount: '20.00', amountDue: '0.00' });

    // The balance pays the customer's next invoices as they are issued: 25.00 in full (30.00 → 5.00 left) ...
    const next = await deliveredOrder('credit', [line(product.sku, 1)], order.customerId);
    expect(await o.call('finance', 'GET', `/invoices/${next.invoiceId}`)).toMatchObject({ amount: '25.00', paidAmount: '0.00', creditedAmount: '25.00', amountDue: '0.00', status: 'paid' });
    // ... then 5.00 of 50.00, which leaves 45.00 to pay; a third invoice finds the balance spent.
    const after = await deliveredOrder('credit', [line(product.sku, 2)], order.customerId);
    expect(await o.call('finance', 'GET', `/invoices/${after.invoiceId}`)).toMatchObject({ amount: '50.00', creditedAmount: '5.00', amountDue: '45.00', status: 'open' });
    const last = await deliveredOrder('credit', [line(product.sku, 1)], order.customerId);
    expect(await o.call('finance', 'GET', `/invoices/${last.invoiceId}`)).toMatchObject({ creditedAmount: '0.00', amountDue: '25.00' });
    const today = dayOf(Date.now());
    expect(await o.call('finance', 'GET', `/credit-notes/${credited.creditNoteId}`)).toMatchObject({
      amount: '50.00', appliedToInvoice: '20.00', creditBalance: '0.00', appliedLater: '30.00', refundAmount: '0.00',
      applications: [{ invoiceId: next.invoiceId, amount: '25.00', appliedOn: today }, { invoiceId: after.invoiceId, amount: '5.00', appliedOn: today }]
        .sort((x, y) => x.invoiceId.localeCompare(y.invoiceId)),
    });
  });

  it('gives a voided invoice\'s credit back to the credit note it came from, once', async () => {
    const product = await o.product({ stock: 5, listPrice: '40.00' });
    const order = await deliveredOrder('credit', [line(product.sku, 1)]);
    await o.call('finance', 'POST', '/payments', { customerId: order.customerId, amount: '40.00', reference: `BANK-${uniq()}` }, 201);
    const ret = await returnGoods(order.id, { lines: [line(product.sku, 1)], reason: 'not needed' });
    const { creditNoteId } = await receive(ret.id, [{ sku: product.sku, condition: 'resaleable' }]);
    // An invoice the balance settled in full (the old order path voids a cancelled order's invoice).
    const acts = createActivities({ db: h.database.db, config: h.config, temporal: h.client });
    const { invoiceId } = await acts.issueInvoice({ dedupeKey: `test:${uniq()}`, customerId: order.customerId, description: 'test', amountCents: 1500, issuedOn: '2026-01-10', dueOn: '2026-02-09' });
    expect(await o.call('finance', 'GET', `/credit-notes/${creditNoteId}`)).toMatchObject({ creditBalance: '25.00', appliedLater: '15.00' });
    await acts.voidInvoice({ invoiceId });
    await acts.voidInvoice({ invoiceId });
    expect(await o.call('finance', 'GET', `/invoices/${invoiceId}`)).toMatchObject({ status: 'void', creditedAmount: '0.00' });
    expect(await o.call('finance', 'GET', `/credit-notes/${creditNoteId}`)).toMatchObject({ creditBalance: '40.00', appliedLater: '0.00', applications: [] });
  });
});

describe('returns paid up front', () => {
  it('records a refund of the prepayment for the returned lines', async () => {
    const product = await o.product({ stock: 5, listPrice: '12.50' });
    const order = await deliveredOrder('prepaid', [line(product.sku, 2)]);
    const ret = await returnGoods(order.id, { lines: [line(product.sku, 1)], reason: 'broken on arrival' });
    const credited = await receive(ret.id, [{ sku: product.sku, condition: 'damaged' }]);
    expect(await o.call('finance', 'GET', `/credit-notes/${credited.creditNoteId}`)).toMatchObject({
      invoiceId: null, amount: '12.50', appliedToInvoice: '0.00', creditBalance: '0.00', refundAmount: '12.50', refundOfPaymentId: order.paymentId,
    });
    expect(await o.stock(product.sku)).toEqual({ onHand: 3, reserved: 0 });
    // Revenue is what was paid less what was credited: 25.00 − 12.50.
    expect((await o.call('manager', 'GET', `/reports/customers/abc?customerId=${order.customerId}`)).totalRevenue).toBe('12.50');
  });

  it('wakes an order backordered on the sku when resaleable goods come back', async () => {
    const product = await o.product({ stock: 1, listPrice: '10.00' });
    const order = await deliveredOrder('cod', [line(product.sku, 1)]);
    const waiting = await o.order({ customerId: order.customerId, lines: [line(product.sku, 1)], paymentTerms: 'cod' });
    await o.reaches(waiting.id, 'backordered');
    const ret = await returnGoods(order.id, { lines: [line(product.sku, 1)], reason: 'duplicate' });
    await receive(ret.id, [{ sku: product.sku, condition: 'resaleable' }]);
    await o.reaches(waiting.id, 'fulfilling');
    expect(await o.stock(product.sku)).toEqual({ onHand: 1, reserved: 1 });
  });
});

describe('refusals', () => {
  it('answers 409 before delivery, 422 for a service, after the window or more than delivered, 404 and 400, and writes nothing', async () => {
    const customer = await o.customer('5000.00');
    const goods = await o.product({ stock: 5, listPrice: '20.00' });
    const service = await o.product({ kind: 'service', listPrice: '9.00' });

    const pending = await o.order({ customerId: customer.id, lines: [line(goods.sku, 1)], paymentTerms: 'cod' });
    await o.reaches(pending.id, 'fulfilling');
    expect(await returnGoods(pending.id, { lines: [line(goods.sku, 1)], reason: 'changed mind' }, 409)).toMatchObject({ status: 409, state: 'not_delivered', allowedActions: [] });

    const mixed = await o.order({ customerId: customer.id, lines: [line(service.sku, 1), line(goods.sku, 2)], paymentTerms: 'cod' });
    await o.reaches(mixed.id, 'provisioning');
    await o.call('fulfilment', 'POST', '/webhooks/provisioning', { orderId: mixed.id, event: 'activated' }, 202);
    await o.reaches(mixed.id, 'activated');
    await o.act('fulfilment', mixed.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
    await o.act('fulfilment', mixed.id, 'delivered', {});
    await o.reaches(mixed.id, 'completed');
    const serviceReturn = await returnGoods(mixed.id, { lines: [line(service.sku, 1)], reason: 'do not want it' }, 422);
    expect(serviceReturn.errors).toEqual([{ path: '/lines/0/sku', message: `${service.sku} is a service: an activated service is ended by terminating it, not returned` }]);
    expect((await returnGoods(mixed.id, { lines: [line(goods.sku, 3)], reason: 'x' }, 422)).errors[0].path).toBe('/lines/0/qty');
    expect((await returnGoods(mixed.id, { lines: [line('NO-SUCH-SKU', 1)], reason: 'x' }, 422)).errors[0].path).toBe('/lines/0/sku');
    await returnGoods(mixed.id, { lines: [line(goods.sku, 1)], reason: '' }, 400);
    await returnGoods(mixed.id, { lines: [line(goods.sku, 0)], reason: 'x' }, 400);
    await returnGoods(mixed.id, { lines: [line(goods.sku, 1)], reason: 'x' }, 403, 'finance' as 'agent');
    await returnGoods('SO-2026-999999', { lines: [line(goods.sku, 1)], reason: 'x' }, 404);

    // Delivered 31 days ago: the 30-day window closed yesterday. Day 30 itself is still open.
    const deliveredAt = (days: number) => new Date(Date.now() - days * 86_400_000);
    await h.database.db.update(shipments).set({ deliveredAt: deliveredAt(31) }).where(eq(shipments.orderId, mixed.id));
    const late = await returnGoods(mixed.id, { lines: [line(goods.sku, 1)], reason: 'too late' }, 422);
    expect(late.detail).toBe(`the return window of 30 days from delivery on ${dayOf(deliveredAt(31).getTime())} closed on ${addDays(dayOf(deliveredAt(31).getTime()), 30)}`);
    expect(await h.database.db.select().from(returns).where(eq(returns.orderId, mixed.id))).toEqual([]);
    await h.database.db.update(shipments).set({ deliveredAt: deliveredAt(30) }).where(eq(shipments.orderId, mixed.id));
    await returnGoods(mixed.id, { lines: [line(goods.sku, 1)], reason: 'just in time' });

    await o.call('manager', 'GET', '/returns/R-2026-999999', undefined, 404);
    await o.call('manager', 'GET', '/credit-notes/CN-2026-999999', undefined, 404);
    await receive('R-2026-999999', [{ sku: goods.sku, condition: 'resaleable' }], 404);
    await receive('R-2026-999999', [{ sku: goods.sku, condition: 'broken' }], 400);
  });
});

describe('return activities are idempotent', () => {
  it('restocks once and issues one credit note however often they run', async () => {
    const acts = createActivities({ db: h.database.db, config: h.config, temporal: h.client });
    const product = await o.product({ stock: 5, listPrice: '10.00' });
    const order = await deliveredOrder('cod', [line(product.sku, 2)]);
    const ret = await returnGoods(order.id, { lines: [line(product.sku, 2)], reason: 'twice' });
    const credited = await receive(ret.id, [{ sku: product.sku, condition: 'resaleable' }]);
    const before = { stock: await o.stock(product.sku), lines: await h.database.db.select().from(returnLines).where(eq(returnLines.returnId, ret.id)) };
    const opened = await acts.openReturn({ returnId: ret.id, workflowId: `return-${ret.id}`, orderId: order.id, lines: [line(product.sku, 2)], reason: 'twice', requestedBy: 'test', at: Date.now() });
    expect(opened).toMatchObject({ totalCents: 2000, lines: [{ sku: product.sku, qty: 2, unitPriceCents: 1000, lineTotalCents: 2000 }] });
    await acts.receiveReturn({ returnId: ret.id, lines: [{ sku: product.sku, condition: 'resaleable' }], receivedBy: 'test', at: Date.now() });
    expect(await acts.issueCreditNote({ returnId: ret.id, on: dayOf(Date.now()) })).toEqual({ creditNoteId: credited.creditNoteId, amountCents: 2000 });
    expect({ stock: await o.stock(product.sku), lines: await h.database.db.select().from(returnLines).where(eq(returnLines.returnId, ret.id)) }).toEqual(before);
    expect(await h.database.db.select().from(creditNotes).where(eq(creditNotes.returnId, ret.id))).toHaveLength(1);
  });
});
