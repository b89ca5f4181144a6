import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chargeCallOff, consumptionOf } from '../../domain/call-offs';
import { priceOrder } from '../../domain/pricing';
import { priceReturn, returnProblem, settleCredit, type ReturnFacts } from '../../domain/returns';

const facts = (overrides: Partial<ReturnFacts> = {}): ReturnFacts => ({
  lines: [
    { sku: 'A', kind: 'goods', qty: 4, unitPriceCents: 2500, returnedQty: 1 },
    { sku: 'S', kind: 'service', qty: 1, unitPriceCents: 900, returnedQty: 0 },
  ],
  deliveredOn: '2026-06-01',
  today: '2026-06-10',
  windowDays: 30,
  ...overrides,
});

describe('returnProblem', () => {
  it('admits up to what was delivered less what came back already', () => {
    expect(returnProblem([{ sku: 'A', qty: 3 }], facts())).toBeNull();
    expect(returnProblem([{ sku: 'A', qty: 4 }], facts())).toEqual({
      kind: 'refused', message: 'A: 4 delivered, 1 already returned, at most 3 can be returned',
      errors: [{ path: '/lines/0/qty', message: 'A: 4 delivered, 1 already returned, at most 3 can be returned' }],
    });
  });

  it('refuses a service as a termination, whatever the state of the order', () => {
    expect(returnProblem([{ sku: 'S', qty: 1 }], facts({ deliveredOn: null }))).toMatchObject({ kind: 'refused', errors: [{ path: '/lines/0/sku' }] });
  });

  it('counts the window from the delivery day: day 30 is open, day 31 closed', () => {
    expect(returnProblem([{ sku: 'A', qty: 1 }], facts({ today: '2026-07-01' }))).toBeNull();
    expect(returnProblem([{ sku: 'A', qty: 1 }], facts({ today: '2026-07-02' }))?.message).toBe('the return window of 30 days from delivery on 2026-06-01 closed on 2026-07-01');
  });

  it('is a conflict, not a refusal, before the goods are delivered', () => {
    expect(returnProblem([{ sku: 'A', qty: 1 }], facts({ deliveredOn: null }))?.kind).toBe('not_delivered');
  });
});

describe('credit notes', () => {
  it('price the returned lines at what the order charged', () => {
    expect(priceReturn([{ sku: 'A', qty: 3 }], facts().lines)).toEqual({ lines: [{ sku: 'A', qty: 3, unitPriceCents: 2500, lineTotalCents: 7500 }], totalCents: 7500 });
  });

  it('settle against the open invoice first and leave the rest as a balance; paid-up-front orders are refunded', () => {
    expect(settleCredit(5000, 'credit', 2000)).toEqual({ appliedToInvoiceCents: 2000, creditBalanceCents: 3000, refundCents: 0 });
    expect(settleCredit(5000, 'credit', 9000)).toEqual({ appliedToInvoiceCents: 5000, creditBalanceCents: 0, refundCents: 0 });
    expect(settleCredit(1250, 'prepaid', 0)).toEqual({ appliedToInvoiceCents: 0, creditBalanceCents: 0, refundCents: 1250 });
  });

  it('always add up to the credit note amount', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom('credit', 'prepaid', 'cod' as const), (amount, outstanding, terms) => {
      const s = settleCredit(amount, terms, outstanding);
      expect(s.appliedToInvoiceCents + s.creditBalanceCents + s.refundCents).toBe(amount);
      expect(Math.min(s.appliedToInvoiceCents, s.creditBalanceCents, s.refundCents)).toBeGreaterThanOrEqual(0);
    }));
  });
});

describe('call-off draw-down with promotions', () => {
  it('draws down exactly what the order line charges, discounting once', () => {
    const promotions = [{ id: 'P1', sku: 'A', percentOff: 15, validFrom: '2026-06-01', validTo: '2026-06-30' }];
    const drawn = chargeCallOff([{ sku: 'A', qty: 3, unitPriceCents: 8000 }], promotions, '2026-06-15');
    expect(drawn).toEqual([{ sku: 'A', qty: 3, unitPriceCents: 6800, contractUnitCents: 8000 }]);
    const order = priceOrder([{ sku: 'A', qty: 3, listPriceCents: 10_000, contractPriceCents: drawn[0]!.contractUnitCents, promotions, on: '2026-06-15' }]);
    expect(order.totalCents).toBe(consumptionOf([{ lines: drawn }]).valueCents);
    expect(order.totalCents).toBe(20_400);
  });
});
