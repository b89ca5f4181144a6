import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../../domain/dates';
import { startHarness, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';

// Appendix A for orders: an order's invoice is issued on the business time zone's day of delivery. The
// zone is one whose day differs from UTC's while the test runs (UTC+14 from 10:00 UTC, UTC−11 before
// 11:00 UTC), so a UTC day would fail the test at any hour.
const ZONE = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';

let h: Harness;
let o: ReturnType<typeof orderDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['orders', 'notifications'], env: { CRM_BUSINESS_TIME_ZONE: ZONE } });
  o = orderDriver(h);
});
afterAll(async () => { await h?.close(); });

describe('orders in the business time zone', () => {
  it("issues a credit order's invoice on the zone's day of delivery, due 30 of the zone's days later", async () => {
    const buyer = await o.customer('1000.00');
    const product = await o.product({ stock: 5, listPrice: '10.00' });
    const order = await o.order({ customerId: buyer.id, lines: [{ sku: product.sku, qty: 2 }], paymentTerms: 'credit' });
    await o.reaches(order.id, 'fulfilling');
    await o.act('fulfilment', order.id, 'shipments', { carrier: 'DHL', trackingNo: `TZ-${order.id}` });
    await o.act('fulfilment', order.id, 'delivered', {});
    await o.reaches(order.id, 'completed');
    const delivered = (await o.get(order.id)).timeline.find((e: { action: string }) => e.action === 'deliver');
    const day = dayOf(Date.parse(delivered.at), ZONE);
    expect(day).not.toBe(dayOf(Date.parse(delivered.at)));
    expect(await o.invoicesOf(order.id)).toEqual([expect.objectContaining({ amount: '20.00', issuedOn: day, dueOn: addDays(day, 30) })]);
  });
});
