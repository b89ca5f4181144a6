import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCallOffs } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { processDrivers, type ProcessDrivers } from '../helpers/drivers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';

// Orders naming a contract, end to end: the order workflow reserves the draw-down through the contract's
// activities, prices at the contract's prices, consumes it on fulfilment and releases it on cancellation.
let h: Harness;
let c: ProcessDrivers['c'], o: ProcessDrivers['o'];
beforeAll(async () => {
  h = await startHarness({ worker: true });
  ({ c, o } = processDrivers(h));
});
afterAll(async () => { await h?.close(); });

const callOffsOf = (contractId: string, status: 'reserved' | 'consumed' | 'released') =>
  h.database.db.select().from(contractCallOffs).where(and(eq(contractCallOffs.contractId, contractId), eq(contractCallOffs.status, status)));

async function deliver(orderId: string) {
  await o.reaches(orderId, 'fulfilling');
  await o.act('fulfilment', orderId, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
  await o.act('fulfilment', orderId, 'delivered');
  return o.reaches(orderId, 'completed');
}

describe('call-off orders', () => {
  it('prices a call-off at the contract price, draws the value down and consumes it on delivery', async () => {
    const product = await c.product('100.00');
    const contract = await c.active({ targetValue: '1000.00', prices: [{ sku: product.sku, unitPrice: '80.00' }] });
    const order = await o.order({ customerId: contract.customerId, contractId: contract.id, lines: [{ sku: product.sku, qty: 3 }], paymentTerms: 'cod' });
    expect(order).toMatchObject({ contractId: contract.id, total: '240.00' });
    expect(order.lines[0]).toMatchObject({ priceRule: 'contract', unitPrice: '80.00' });
    expect((await c.get(contract.id)).consumption.reserved.value).toBe('240.00');
    await deliver(order.id);
    const after = await c.get(contract.id);
    expect(after.consumption.consumed.value).toBe('240.00');
    expect(after.remaining.value).toBe('760.00');
    const summary = await (await h.client.workflow.getHandle(`order-${order.id}`).describe()).staticSummary();
    expect(summary).toBe(`Order ${order.id} · 1 line · call-off ${contract.id} · cod`);
    await recordHistory(h.client, `order-${order.id}`, 'order-contract-call-off');
  });

  it('draws a value contract down by the promoted line total the order charges, discounting once', async () => {
    const product = await c.product('100.00');
    const contract = await c.active({ targetValue: '1000.00', prices: [{ sku: product.sku, unitPrice: '80.00' }] });
    const today = dayOf(Date.now());
    await o.call('admin', 'POST', '/promotions', { sku: product.sku, percentOff: 15, validFrom: today, validTo: today }, 201);
    // 80.00 − 15 % = 68.00 a unit; 3 units = 204.00, charged and drawn down alike.
    const order = await o.order({ customerId: contract.customerId, contractId: contract.id, lines: [{ sku: product.sku, qty: 3 }], paymentTerms: 'cod' });
    expect(order.lines[0]).toMatchObject({ priceRule: 'contract', unitPrice: '68.00', lineTotal: '204.00' });
    expect(order.total).toBe('204.00');
    expect((await c.get(contract.id)).consumption.reserved.value).toBe('204.00');
    await deliver(order.id);
    const after = await c.get(contract.id);
    expect(after.consumption.consumed.value).toBe('204.00');
    expect(after.remaining.value).toBe('796.00');
  });

  it('draws a quantity contract down by quantity', async () => {
    const product = await c.product('10.00');
    const contract = await c.active({ type: 'quantity', targetValue: undefined, targetQuantities: [{ sku: product.sku, qty: 10 }], prices: [{ sku: product.sku, unitPrice: '9.00' }] });
    const order = await o.order({ customerId: contract.customerId, contractId: contract.id, lines: [{ sku: product.sku, qty: 4 }], paymentTerms: 'cod' });
    expect(order.total).toBe('36.00');
    const view = await c.get(contract.id);
    expect(view.remaining.quantities).toEqual([expect.objectContaining({ sku: product.sku, qty: 6 })]);
    await o.order({ customerId: contract.customerId, contractId: contract.id, lines: [{ sku: product.sku, qty: 7 }], paymentTerms: 'cod' }, 422);
  });

  it('refuses with 422 a contract that is not active, belongs to someone else or does not cover the product', async () => {
    const product = await c.product('10.00');
    const other = await c.product('10.00');
    const draft = await c.draft({ prices: [{ sku: product.sku, unitPrice: '9.00' }] });
    const notActive = await o.order({ customerId: draft.customerId, contractId: draft.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'cod' }, 422);
    expect(notActive.errors[0].path).toBe('/contractId');
    const contract = await c.active({ prices: [{ sku: product.sku, unitPrice: '9.00' }] });
    const stranger = await o.customer();
    await o.order({ customerId: stranger.id, contractId: contract.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'cod' }, 422);
    await o.order({ customerId: contract.customerId, contractId: contract.id, lines: [{ sku: other.sku, qty: 1 }], paymentTerms: 'cod' }, 422);
    expect(await callOffsOf(contract.id, 'reserved')).toEqual([]);
  });

  it('releases the draw-down when the order is cancelled', async () => {
    const product = await c.product('50.00');
    const contract = await c.active({ targetValue: '500.00', prices: [{ sku: product.sku, unitPrice: '50.00' }] });
    const order = await o.order({ customerId: contract.customerId, contractId: contract.id, lines: [{ sku: product.sku, qty: 2 }], paymentTerms: 'prepaid' });
    await o.reaches(order.id, 'awaiting_payment');
    expect(await callOffsOf(contract.id, 'reserved')).toHaveLength(1);
    await o.act('agent', order.id, 'cancel', { reason: 'changed mind' });
    await o.reaches(order.id, 'cancelled');
    expect(await callOffsOf(contract.id, 'reserved')).toEqual([]);
    expect(await callOffsOf(contract.id, 'released')).toHaveLength(1);
    expect((await c.get(contract.id)).remaining.value).toBe('500.00');
  });

  it('never lets concurrent orders together exceed the target, and completes the contract when it is used up', async () => {
    const product = await c.product('100.00');
    const contract = await c.active({ targetValue: '500.00', prices: [{ sku: product.sku, unitPrice: '100.00' }] });
    const results = await Promise.all(Array.from({ length: 12 }, () => h.app.inject({
      method: 'POST', url: '/api/v1/orders', headers: h.users.agent.auth,
      payload: { customerId: contract.customerId, contractId: contract.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'cod' },
    })));
    const accepted = results.filter((r) => r.statusCode === 201).map((r) => r.json());
    expect(accepted).toHaveLength(5);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(7);
    expect(await callOffsOf(contract.id, 'reserved')).toHaveLength(5);
    for (const order of accepted) await deliver(order.id);
    const done = await c.status(contract.id, 'completed');
    expect(done.remaining.value).toBe('0.00');
  });
});

describe('service contracts and tickets', () => {
  it("gives a customer's tickets the SLA of their active service contract instead of the tier's", async () => {
    const contract = await c.active({ sla: { responseMultiplier: 0.25, resolutionMultiplier: 0.5 } });
    const ticket = await c.call('agent', 'POST', '/tickets', { customerId: contract.customerId, channel: 'phone', category: 'fault', priority: 'low', subject: 'Down', description: 'Line down' }, 201);
    const detail = await c.call('manager', 'GET', `/tickets/${ticket.id}`);
    const created = Date.parse(detail.createdAt);
    // low: 8 h response, 72 h resolution by default; the contract scales them to 2 h and 36 h.
    expect(Date.parse(ticket.sla.responseDueAt) - created).toBe(2 * 3600_000);
    expect(Date.parse(ticket.sla.resolutionDueAt) - created).toBe(36 * 3600_000);
    expect(detail.sla).toMatchObject({ source: 'contract' });
  });
});
