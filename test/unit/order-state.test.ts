import { describe, expect, it } from 'vitest';
import type { OrderInput, OrderLineRecord } from '../../domain/processes/order';
import {
  activated, backordered, cancelled, carrierReported, completed, enter, openActivationTask, orderDetails, orderRecord, orderView, priced, receiveOrder,
  reserved, shipped, waitingUntil,
} from '../../domain/processes/order-state';
import type { Actor } from '../../domain/roles';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const input: OrderInput = { number: 'SO-2026-000001', customerId: 'CUS-000001', lines: [{ sku: 'A', qty: 2 }, { sku: 'S', qty: 1 }], paymentTerms: 'credit', actor: { id: 'U-agent', name: 'A', roles: ['agent'] } };
const lines: OrderLineRecord[] = [
  { sku: 'A', qty: 2, rule: 'list', promotionId: null, unitPriceCents: 1000, lineTotalCents: 2000, kind: 'goods' } as OrderLineRecord,
  { sku: 'S', qty: 1, rule: 'list', promotionId: null, unitPriceCents: 500, lineTotalCents: 500, kind: 'service' } as OrderLineRecord,
];
const fulfilment: Actor = { id: 'U-ful', name: 'F', roles: ['fulfilment'] };
const agent: Actor = { id: 'U-agent', name: 'A', roles: ['agent'] };

describe('order state', () => {
  it('is priced with its lines and total', () => {
    const o = priced(receiveOrder(T0), lines, 2500);
    expect(o).toMatchObject({ status: 'priced', totalCents: 2500, lines });
    expect(orderView(o, input).total).toBe('25.00');
    expect(orderRecord(o, input, 'order-SO-2026-000001')).toMatchObject({ status: 'priced', totalCents: 2500, createdAt: T0, closedAt: null });
  });

  it('backorders the short skus and clears them once reserved', () => {
    const short = backordered(priced(receiveOrder(T0), lines, 2500), ['A']);
    expect(short).toMatchObject({ status: 'backordered', backorderedSkus: ['A'] });
    expect(orderDetails(waitingUntil(short, T0 + 1000), input)).toBe('**backordered** · total 25.00 (credit) · waiting for a restock until 2026-03-02T09:00:01.000Z · short: A');
    expect(reserved(short)).toMatchObject({ status: 'reserved', backorderedSkus: [] });
  });

  it('counts the carrier\'s delivery report only for its own shipment', () => {
    const out = shipped(enter(priced(receiveOrder(T0), lines, 2500), 'activated'), { carrier: 'DHL', trackingNo: '123' });
    expect(carrierReported(out, '999').carrierDelivered).toBe(false);
    expect(carrierReported(out, '123').carrierDelivered).toBe(true);
  });

  it('a manual activation task stays open until activation', () => {
    const task = openActivationTask(enter(priced(receiveOrder(T0), lines, 2500), 'provisioning'));
    expect(orderDetails(task, input)).toContain('waiting for a manual activation report');
    expect(activated(task)).toMatchObject({ status: 'activated', activationReportOpen: false });
  });

  it('offers no action that was accepted and awaits the process, and none but cancel to an agent', () => {
    const hold = enter(priced(receiveOrder(T0), lines, 2500), 'fulfilling');
    expect(orderView(hold, input, agent).allowedActions).toEqual(['cancel']);
    expect(orderView(hold, input, agent, (a) => a === 'cancel').allowedActions).toEqual([]);
    expect(orderView(enter(hold, 'activated'), input, fulfilment).allowedActions).toEqual(['shipments']);
  });

  it('cancellation and completion close the order', () => {
    const waiting = waitingUntil(backordered(priced(receiveOrder(T0), lines, 2500), ['A']), T0 + 1000);
    expect(cancelled(waiting, 'no restock', T0 + 5)).toMatchObject({ status: 'cancelled', cancelReason: 'no restock', closedAt: T0 + 5, waitingUntil: null, backorderedSkus: [] });
    expect(completed(enter(waiting, 'invoiced'), T0 + 9)).toMatchObject({ status: 'completed', closedAt: T0 + 9 });
  });
});
