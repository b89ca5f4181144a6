import { describe, expect, it } from 'vitest';

// The order page lists what a cancellation will undo (console/saga.js), read off the order's state the way
// workflows/order.ts pushes its compensations: each step's undo exists from the state that step leads to.
const { compensations } = await import(new URL('../../console/saga.js', import.meta.url).href);

const goods = { sku: 'BOX', kind: 'goods' };
const service = { sku: 'LINE', kind: 'service' };
const order = (status: string, more: Record<string, unknown> = {}) => ({ status, lines: [goods], invoiceId: null, paymentId: null, contractId: null, ...more });

describe('what cancelling an order undoes', () => {
  it('undoes nothing before stock is held, and releases the stock once it is', () => {
    for (const status of ['received', 'priced', 'credit_hold']) expect(compensations(order(status)), status).toEqual([]);
    for (const status of ['reserved', 'awaiting_payment', 'fulfilling']) expect(compensations(order(status)), status).toEqual(['release the stock held for BOX']);
    expect(compensations(order('backordered'))).toEqual(['stop waiting for the restock (no stock is held yet)']);
  });

  it('runs the undos last step first: services, invoice, payment, stock, then the contract draw-down', () => {
    expect(compensations(order('provisioning', { lines: [goods, service], invoiceId: 'INV-1', contractId: 'C-1' }))).toEqual([
      'release the services allocated for activation', 'void invoice INV-1', 'release the stock held for BOX', 'release the draw-down reserved on contract C-1',
    ]);
    expect(compensations(order('fulfilling', { paymentId: 'PAY-1' }))).toEqual(['refund payment PAY-1', 'release the stock held for BOX']);
    // A services-only order holds no stock.
    expect(compensations(order('provisioning', { lines: [service] }))).toEqual(['release the services allocated for activation']);
  });
});
