import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDay } from '../../domain/dates';
import { DEFAULT_LATE_FEE_RULE, daysOverdue, lateFee, type LateFeeRule } from '../../domain/late-fee';
import { MAX_CENTS, mulRateHalfUp, toCents } from '../../domain/money';

const MS_PER_DAY = 86_400_000;
const isoDate = (epochDay: number): string => new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);

// 2000-01-01 .. 2099-12-31 as days since the epoch.
const epochDay = fc.integer({ min: 10_957, max: 47_481 });
const amount = fc.integer({ min: 0, max: MAX_CENTS });
const rule: fc.Arbitrary<LateFeeRule> = fc.record({
  ratePerDay: fc.constantFrom('0', '0.001', '0.003', '0.0005', '0.01', '0.125'),
  maxDays: fc.integer({ min: 0, max: 365 }),
  capCents: fc.integer({ min: 0, max: 100_000_000 }),
});

describe('lateFee', () => {
  it('charges 3.24 on 120.00 due 31 Aug and paid 9 Sep, 123.24 in all (SPEC §6)', () => {
    expect(lateFee(toCents('120.00'), '2026-08-31', '2026-09-09')).toEqual({
      daysOverdue: 9,
      chargeableDays: 9,
      feeCents: 324,
      totalCents: 12_324,
    });
  });

  it('charges nothing when paid on or before the due date', () => {
    expect(lateFee(12_000, '2026-08-31', '2026-08-31')).toMatchObject({ daysOverdue: 0, feeCents: 0, totalCents: 12_000 });
    expect(lateFee(12_000, '2026-08-31', '2026-07-01')).toMatchObject({ daysOverdue: 0, feeCents: 0, totalCents: 12_000 });
  });

  it('charges one day for payment the day after the due date', () => {
    expect(lateFee(100_000, '2026-08-31', '2026-09-01')).toMatchObject({ daysOverdue: 1, feeCents: 300 });
  });

  it('stops counting at 90 days by default', () => {
    const fee = lateFee(toCents('1000.00'), '2026-01-01', '2026-06-01');
    expect(fee.daysOverdue).toBe(151);
    expect(fee.chargeableDays).toBe(90);
    expect(fee.feeCents).toBe(toCents('270.00'));
  });

  it('never charges more than 3 000.00 by default', () => {
    expect(lateFee(toCents('2000000.00'), '2026-01-01', '2026-03-01').feeCents).toBe(toCents('3000.00'));
  });

  it('rounds the fee half up to whole cents, once over all days', () => {
    // 55.50 × 30 × 0.003 = 4.995 exactly; floats give 4.9949999…
    expect(lateFee(5550, '2026-01-01', '2026-01-31').feeCents).toBe(500);
  });

  it('applies the rule it is given', () => {
    const custom = { ratePerDay: '0.001', maxDays: 10, capCents: 50 };
    expect(lateFee(10_000, '2026-01-01', '2026-01-05', custom).feeCents).toBe(40);
    expect(lateFee(10_000, '2026-01-01', '2026-03-01', custom)).toMatchObject({ chargeableDays: 10, feeCents: 50 });
  });

  it('throws RangeError on bad amounts, dates and rules', () => {
    expect(() => lateFee(-1, '2026-01-01', '2026-01-02')).toThrow(RangeError);
    expect(() => lateFee(10.5, '2026-01-01', '2026-01-02')).toThrow(RangeError);
    expect(() => lateFee(100, '2026-02-30', '2026-03-02')).toThrow(RangeError);
    expect(() => lateFee(100, '2026-01-01', '2026-01-02', { ...DEFAULT_LATE_FEE_RULE, maxDays: -1 })).toThrow(RangeError);
    expect(() => lateFee(100, '2026-01-01', '2026-01-02', { ...DEFAULT_LATE_FEE_RULE, capCents: 1.5 })).toThrow(RangeError);
    expect(() => lateFee(100, '2026-01-01', '2026-01-02', { ...DEFAULT_LATE_FEE_RULE, ratePerDay: '0,3%' })).toThrow(RangeError);
  });

  it('is monotone non-decreasing in the payment date', () => {
    fc.assert(
      fc.property(amount, epochDay, fc.nat(400), fc.nat(400), rule, (cents, due, a, b, r) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const feeOn = (offset: number): number => lateFee(cents, isoDate(due), isoDate(due + offset), r).feeCents;
        return feeOn(early) <= feeOn(late);
      }),
    );
  });

  it('never exceeds the cap nor amount × maxDays × rate, in whole cents', () => {
    fc.assert(
      fc.property(amount, epochDay, fc.integer({ min: -30, max: 1000 }), rule, (cents, due, offset, r) => {
        const fee = lateFee(cents, isoDate(due), isoDate(due + offset), r);
        expect(Number.isSafeInteger(fee.feeCents)).toBe(true);
        expect(fee.feeCents).toBeGreaterThanOrEqual(0);
        expect(fee.feeCents).toBeLessThanOrEqual(r.capCents);
        expect(fee.feeCents).toBeLessThanOrEqual(mulRateHalfUp(cents, r.ratePerDay, r.maxDays));
        expect(fee.totalCents).toBe(cents + fee.feeCents);
      }),
    );
  });

  it('charges nothing whenever the invoice is not overdue', () => {
    fc.assert(
      fc.property(amount, epochDay, fc.nat(1000), rule, (cents, due, early, r) => {
        const fee = lateFee(cents, isoDate(due), isoDate(due - early), r);
        return fee.daysOverdue === 0 && fee.feeCents === 0 && fee.totalCents === cents;
      }),
    );
  });
});

describe('daysOverdue', () => {
  it('counts calendar days across month ends, year ends and leap days', () => {
    expect(daysOverdue('2026-08-31', '2026-09-09')).toBe(9);
    expect(daysOverdue('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysOverdue('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysOverdue('2026-02-28', '2026-03-01')).toBe(1);
  });

  it('is unaffected by daylight-saving changes', () => {
    expect(daysOverdue('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysOverdue('2026-10-24', '2026-10-26')).toBe(2);
  });

  it('equals the distance between the dates, or zero before the due date', () => {
    fc.assert(fc.property(epochDay, epochDay, (due, asOf) => daysOverdue(isoDate(due), isoDate(asOf)) === Math.max(0, asOf - due)));
  });
});

describe('calendarDay', () => {
  it('numbers days from 1970-01-01', () => {
    expect(calendarDay('1970-01-01')).toBe(0);
    expect(calendarDay('2026-09-09') - calendarDay('2026-08-31')).toBe(9);
  });

  it('refuses malformed and impossible dates', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-00-10', '2026-9-9', '26-09-09', '0099-01-01', '2026-09-09T00:00:00Z', '']) {
      expect(() => calendarDay(bad), bad).toThrow(RangeError);
    }
  });
});
