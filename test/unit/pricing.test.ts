import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestPromotion, priceLine, priceOrder, type PriceInputs, type Promotion } from '../../domain/pricing';

const line = (overrides: Partial<PriceInputs> = {}): PriceInputs => ({
  sku: 'SKU-1',
  qty: 1,
  listPriceCents: 10_000,
  promotions: [],
  on: '2026-06-15',
  ...overrides,
});

const promo = (overrides: Partial<Promotion> = {}): Promotion => ({
  id: 'P1',
  sku: null,
  percentOff: 10,
  validFrom: '2026-06-01',
  validTo: '2026-06-30',
  ...overrides,
});

describe('priceLine: base price precedence', () => {
  it('uses the list price when nothing more specific exists', () => {
    expect(priceLine(line())).toMatchObject({ rule: 'list', baseUnitCents: 10_000, unitPriceCents: 10_000, promotionId: null, percentOff: null });
  });

  it('prefers a customer-specific price over the list price', () => {
    expect(priceLine(line({ customerPriceCents: 9000 }))).toMatchObject({ rule: 'customer', baseUnitCents: 9000 });
  });

  it('prefers a contract price over customer and list prices, even when higher', () => {
    expect(priceLine(line({ customerPriceCents: 9000, contractPriceCents: 9500 }))).toMatchObject({ rule: 'contract', baseUnitCents: 9500 });
  });

  it('treats null and absent prices as missing but a zero price as present', () => {
    expect(priceLine(line({ customerPriceCents: null, contractPriceCents: null })).rule).toBe('list');
    expect(priceLine(line({ customerPriceCents: 9000, contractPriceCents: 0 }))).toMatchObject({ rule: 'contract', unitPriceCents: 0 });
  });

  it('always picks the most specific price present', () => {
    const maybePrice = fc.option(fc.nat(1_000_000), { nil: undefined });
    fc.assert(
      fc.property(fc.nat(1_000_000), maybePrice, maybePrice, (list, customer, contract) => {
        const priced = priceLine(line({ listPriceCents: list, customerPriceCents: customer, contractPriceCents: contract }));
        const expected = contract !== undefined ? 'contract' : customer !== undefined ? 'customer' : 'list';
        return priced.rule === expected && priced.baseUnitCents === (contract ?? customer ?? list);
      }),
    );
  });
});

describe('priceLine: promotions', () => {
  it('applies a promotion on top of the winning base price and records it', () => {
    const priced = priceLine(line({ qty: 3, contractPriceCents: 999, promotions: [promo({ id: 'SUMMER', percentOff: '15' })] }));
    expect(priced).toEqual({
      sku: 'SKU-1',
      qty: 3,
      rule: 'contract',
      baseUnitCents: 999,
      promotionId: 'SUMMER',
      percentOff: '15',
      unitPriceCents: 849, // 849.15
      lineTotalCents: 2547,
    });
  });

  it('rounds the discounted unit price half up', () => {
    expect(priceLine(line({ listPriceCents: 101, promotions: [promo({ percentOff: 50 })] })).unitPriceCents).toBe(51);
  });

  it('applies on the first and last day of the validity window, not outside it', () => {
    const promotions = [promo()];
    expect(priceLine(line({ on: '2026-06-01', promotions })).promotionId).toBe('P1');
    expect(priceLine(line({ on: '2026-06-30', promotions })).promotionId).toBe('P1');
    expect(priceLine(line({ on: '2026-05-31', promotions })).promotionId).toBeNull();
    expect(priceLine(line({ on: '2026-07-01', promotions })).promotionId).toBeNull();
  });

  it('applies a sku promotion only to that sku and an all-products promotion to every sku', () => {
    const promotions = [promo({ id: 'OTHER', sku: 'SKU-2', percentOff: 50 }), promo({ id: 'ALL', sku: undefined, percentOff: 5 })];
    expect(priceLine(line({ promotions })).promotionId).toBe('ALL');
    expect(priceLine(line({ sku: 'SKU-2', promotions })).promotionId).toBe('OTHER');
  });

  it('takes the single largest percentage instead of stacking, comparing by value', () => {
    const promotions = [promo({ id: 'A', percentOff: '9' }), promo({ id: 'B', percentOff: '10' }), promo({ id: 'C', percentOff: 7.5 })];
    expect(priceLine(line({ promotions }))).toMatchObject({ promotionId: 'B', percentOff: '10', unitPriceCents: 9000 });
  });

  it('breaks ties in favour of the sku-specific promotion, then the smallest id', () => {
    expect(bestPromotion([promo({ id: 'A' }), promo({ id: 'Z', sku: 'SKU-1' })], 'SKU-1', '2026-06-15')?.id).toBe('Z');
    expect(bestPromotion([promo({ id: 'B' }), promo({ id: 'A', percentOff: '10.0' })], 'SKU-1', '2026-06-15')?.id).toBe('A');
  });

  it('chooses the same promotion whatever order the promotions arrive in', () => {
    const arbitraryPromo = fc.record({
      id: fc.constantFrom('A', 'B', 'C', 'D'),
      sku: fc.constantFrom(null, 'SKU-1', 'SKU-2'),
      percentOff: fc.constantFrom(5, '10', 10, '12.5', 50),
      validFrom: fc.constantFrom('2026-06-01', '2026-06-15', '2026-06-16'),
      validTo: fc.constantFrom('2026-06-14', '2026-06-15', '2026-06-30'),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(arbitraryPromo, { selector: (p) => p.id, maxLength: 4 })
          .chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length }))),
        ([promotions, shuffled]) => priceLine(line({ promotions })).promotionId === priceLine(line({ promotions: shuffled })).promotionId,
      ),
    );
  });

  it('never prices a line above its base price, and the line total is unit price × qty', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 100 }), (base, qty, percent) => {
        const priced = priceLine(line({ listPriceCents: base, qty, promotions: [promo({ percentOff: percent })] }));
        return priced.unitPriceCents <= base && priced.lineTotalCents === priced.unitPriceCents * qty;
      }),
    );
  });
});

describe('priceOrder', () => {
  it('prices every line and totals them', () => {
    const order = priceOrder([line({ qty: 2 }), line({ sku: 'SKU-2', qty: 1, customerPriceCents: 550 })]);
    expect(order.lines.map((l) => [l.sku, l.rule, l.lineTotalCents])).toEqual([
      ['SKU-1', 'list', 20_000],
      ['SKU-2', 'customer', 550],
    ]);
    expect(order.totalCents).toBe(20_550);
  });

  it('totals an empty order to zero', () => {
    expect(priceOrder([])).toEqual({ lines: [], totalCents: 0 });
  });

  it('totals exactly the sum of its line totals', () => {
    const arbitraryLine = fc.record({ listPriceCents: fc.nat(1_000_000), qty: fc.integer({ min: 1, max: 100 }) }).map((l) => line(l));
    fc.assert(
      fc.property(fc.array(arbitraryLine, { maxLength: 10 }), (lines) => {
        const order = priceOrder(lines);
        return order.totalCents === order.lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
      }),
    );
  });
});

describe('priceLine: refusals', () => {
  it('throws RangeError on bad quantities, prices, dates and percentages', () => {
    expect(() => priceLine(line({ qty: 0 }))).toThrow(RangeError);
    expect(() => priceLine(line({ qty: 1.5 }))).toThrow(RangeError);
    expect(() => priceLine(line({ listPriceCents: -1 }))).toThrow(RangeError);
    expect(() => priceLine(line({ customerPriceCents: 10.5 }))).toThrow(RangeError);
    expect(() => priceLine(line({ on: '15.06.2026' }))).toThrow(RangeError);
    expect(() => priceLine(line({ promotions: [promo({ percentOff: 150 })] }))).toThrow(RangeError);
  });
});
