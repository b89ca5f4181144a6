import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageReceivables, agingBucket, breachSeries, classifyAbc, consumptionTotals, CYCLE_TIME_LABELS, CYCLE_TIME_THRESHOLDS, daysBetween, expiringContracts, queueDepthSeries, rate,
} from '../../domain/reports';

describe('rate', () => {
  it('divides to four places and is null with nothing to divide by', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(0, 5)).toBe(0);
    expect(rate(5, 5)).toBe(1);
    expect(rate(0, 0)).toBeNull();
    expect(() => rate(-1, 2)).toThrow(RangeError);
  });
});

describe('agingBucket', () => {
  it('puts the edges of each bucket where the SPEC draws them', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucket)).toEqual(['0-30', '0-30', '0-30', '31-60', '31-60', '61-90', '61-90', '>90', '>90']);
    expect(() => agingBucket(-1)).toThrow(RangeError);
    expect(() => agingBucket(1.5)).toThrow(RangeError);
  });
});

describe('ageReceivables', () => {
  it('sums outstanding amounts and late fees per bucket, every bucket present', () => {
    const aged = ageReceivables([
      { daysOverdue: 0, outstandingCents: 10_000, lateFeeCents: 0 },
      { daysOverdue: 9, outstandingCents: 12_000, lateFeeCents: 324 },
      { daysOverdue: 95, outstandingCents: 100_000, lateFeeCents: 27_000 },
    ]);
    expect(aged.buckets).toEqual({
      '0-30': { invoices: 2, outstanding: '220.00', lateFees: '3.24', total: '223.24' },
      '31-60': { invoices: 0, outstanding: '0.00', lateFees: '0.00', total: '0.00' },
      '61-90': { invoices: 0, outstanding: '0.00', lateFees: '0.00', total: '0.00' },
      '>90': { invoices: 1, outstanding: '1000.00', lateFees: '270.00', total: '1270.00' },
    });
    expect(aged.total).toEqual({ invoices: 3, outstanding: '1220.00', lateFees: '273.24', total: '1493.24' });
  });
});

describe('classifyAbc', () => {
  it('classes the customers that make the first 75 % as A, the next 20 % as B, the rest as C', () => {
    const classified = classifyAbc([
      { customerId: 'c5', revenueCents: 300 },
      { customerId: 'c1', revenueCents: 5_000 },
      { customerId: 'c2', revenueCents: 2_500 },
      { customerId: 'c3', revenueCents: 1_500 },
      { customerId: 'c4', revenueCents: 700 },
      { customerId: 'c0', revenueCents: 0 },
    ]);
    // Total 10 000: c1 starts at 0 % (A), c2 at 50 % (A), c3 at 75 % (B), c4 at 90 % (B), c5 at 97 % (C); c0 earned nothing.
    expect(classified.map((c) => [c.customerId, c.class, c.share, c.cumulativeShare])).toEqual([
      ['c1', 'A', 0.5, 0.5], ['c2', 'A', 0.25, 0.75], ['c3', 'B', 0.15, 0.9], ['c4', 'B', 0.07, 0.97], ['c5', 'C', 0.03, 1],
    ]);
  });

  it('ranks equal revenues by customer id, so the answer does not depend on input order', () => {
    const classified = classifyAbc(['d', 'b', 'a', 'c'].map((customerId) => ({ customerId, revenueCents: 100 })));
    // d starts at exactly 75 %: A is already covered.
    expect(classified.map((c) => [c.customerId, c.class])).toEqual([['a', 'A'], ['b', 'A'], ['c', 'A'], ['d', 'B']]);
  });

  it('always has an A customer, keeps classes in rank order and covers at least 75 % with A', () => {
    const revenues = fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(revenues, (amounts) => {
      const classified = classifyAbc(amounts.map((revenueCents, i) => ({ customerId: `c${String(i).padStart(3, '0')}`, revenueCents })));
      const total = amounts.reduce((a, b) => a + b, 0);
      const covered = (k: string) => classified.filter((c) => c.class <= k).reduce((a, c) => a + c.revenueCents, 0);
      expect(classified[0]!.class).toBe('A');
      expect(classified.map((c) => c.class).join('')).toMatch(/^A+B*C*$/);
      expect(covered('A') * 100).toBeGreaterThanOrEqual(75 * total);
      expect(covered('B') * 100).toBeGreaterThanOrEqual(95 * total);
    }));
  });
});

describe('consumptionTotals', () => {
  it('sums target and draw-down, keeps each remaining value at zero or more, and rates consumption against the target', () => {
    expect(consumptionTotals([
      { targetCents: 100_000, consumedCents: 25_000, reservedCents: 5_000 },
      // Amended below what was already drawn: nothing remains, nothing negative.
      { targetCents: 10_000, consumedCents: 12_000, reservedCents: 0 },
    ])).toEqual({ target: '1100.00', consumed: '370.00', reserved: '50.00', remaining: '700.00', rate: 0.3364 });
    expect(consumptionTotals([])).toEqual({ target: '0.00', consumed: '0.00', reserved: '0.00', remaining: '0.00', rate: null });
  });
});

describe('expiringContracts', () => {
  it('counts each contract in every window its end falls into, the 30th day included', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const day = 86_400_000;
    const contracts = [30, 31, 75, 120].map((days, i) => ({ validToMs: now + days * day, targetCents: (i + 1) * 100_00 }));
    expect(expiringContracts(contracts, now)).toEqual({
      within30Days: { contracts: 1, value: '100.00' },
      within60Days: { contracts: 2, value: '300.00' },
      within90Days: { contracts: 3, value: '600.00' },
    });
  });
});

describe('daysBetween', () => {
  it('lists every day of the range, across a month and a leap day, and none when the range ends before it starts', () => {
    expect(daysBetween('2028-02-27', '2028-03-01')).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysBetween('2026-03-01', '2026-03-01')).toEqual(['2026-03-01']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });
});

describe('queueDepthSeries', () => {
  it('starts from the moves before the range and carries each day\'s depth into the next', () => {
    const series = queueDepthSeries(['2026-03-01', '2026-03-02', '2026-03-03'], [
      { day: null, tier: 'L1', delta: 2 }, { day: null, tier: 'L1', delta: -1 },
      { day: '2026-03-01', tier: 'L2', delta: 1 }, { day: '2026-03-03', tier: 'L2', delta: -1 }, { day: '2026-03-03', tier: 'L3', delta: 1 },
      { day: '2026-03-09', tier: 'L1', delta: 5 }, // after the range: ignored
    ]);
    expect(series).toEqual([
      { day: '2026-03-01', L1: 1, L2: 1, L3: 0 },
      { day: '2026-03-02', L1: 1, L2: 1, L3: 0 },
      { day: '2026-03-03', L1: 1, L2: 0, L3: 1 },
    ]);
  });

  it('ends each day at the start depth plus every move up to it (property)', () => {
    const day = fc.integer({ min: 1, max: 5 }).map((d) => `2026-03-0${d}`);
    const move = fc.record({ day: fc.option(day, { nil: null }), tier: fc.constantFrom('L1' as const, 'L2' as const, 'L3' as const), delta: fc.constantFrom(1, -1) });
    fc.assert(fc.property(fc.array(move, { maxLength: 40 }), (moves) => {
      const series = queueDepthSeries(daysBetween('2026-03-01', '2026-03-05'), moves);
      for (const point of series) {
        for (const tier of ['L1', 'L2', 'L3'] as const) {
          const expected = moves.filter((m) => m.tier === tier && (m.day === null || m.day <= point.day)).reduce((sum, m) => sum + m.delta, 0);
          expect(point[tier]).toBe(expected);
        }
      }
    }));
  });
});

describe('breachSeries', () => {
  it('gives every day every tier and priority, zero when none', () => {
    expect(breachSeries(['2026-03-01', '2026-03-02'], [
      { day: '2026-03-02', tier: 'L1', priority: 'urgent', count: 2 }, { day: '2026-03-02', tier: 'L2', priority: 'urgent', count: 1 },
      { day: '2026-03-02', tier: 'L2', priority: 'low', count: 1 },
    ])).toEqual([
      { day: '2026-03-01', total: 0, byTier: { L1: 0, L2: 0, L3: 0 }, byPriority: { low: 0, normal: 0, high: 0, urgent: 0 } },
      { day: '2026-03-02', total: 4, byTier: { L1: 2, L2: 2, L3: 0 }, byPriority: { low: 1, normal: 0, high: 0, urgent: 3 } },
    ]);
  });
});

describe('cycle time buckets', () => {
  it('edges at the default resolution windows, each label with its lower edge (width_bucket numbering)', () => {
    expect(CYCLE_TIME_LABELS).toEqual(['<1h', '1-4h', '4-8h', '8-24h', '1-3d', '3-7d', '>7d']);
    expect(CYCLE_TIME_THRESHOLDS).toEqual([3_600, 4 * 3_600, 8 * 3_600, 24 * 3_600, 72 * 3_600, 7 * 24 * 3_600]);
  });
});
