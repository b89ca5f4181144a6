import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_CENTS,
  MONEY_PATTERN,
  applyPercentOff,
  compareDecimal,
  decimalText,
  fromCents,
  mulCents,
  mulRateHalfUp,
  sumCents,
  toCents,
} from '../../domain/money';

const moneyRegex = new RegExp(MONEY_PATTERN);
const apiCents = fc.integer({ min: 0, max: MAX_CENTS });
const signedCents = fc.integer({ min: -MAX_CENTS, max: MAX_CENTS });
const rate = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }))
  .map(([units, fraction, places]) => (places === 0 ? `${units}` : `${units}.${String(fraction).padStart(6, '0').slice(0, places)}`));

describe('MONEY_PATTERN', () => {
  it('accepts non-negative amounts with exactly two decimals up to 999 999 999 999.99', () => {
    for (const text of ['0.00', '0.05', '123.24', '999999999999.99']) expect(moneyRegex.test(text)).toBe(true);
  });

  it('refuses missing or extra decimals, leading zeros, signs, exponents and amounts past twelve digits', () => {
    for (const text of ['1', '1.5', '1.234', '01.00', '-1.00', '+1.00', '1e2', '1,00', ' 1.00', '1000000000000.00', '']) {
      expect(moneyRegex.test(text), text).toBe(false);
    }
  });

  it('matches every amount fromCents writes for a non-negative amount', () => {
    fc.assert(fc.property(apiCents, (cents) => moneyRegex.test(fromCents(cents))));
  });
});

describe('toCents and fromCents', () => {
  it('reads and writes the amounts of the spec example', () => {
    expect(toCents('120.00')).toBe(12_000);
    expect(toCents('3.24')).toBe(324);
    expect(fromCents(12_324)).toBe('123.24');
  });

  it('writes small, negative and largest amounts with two decimals', () => {
    expect(fromCents(0)).toBe('0.00');
    expect(fromCents(5)).toBe('0.05');
    expect(fromCents(-150)).toBe('-1.50');
    expect(fromCents(-5)).toBe('-0.05');
    expect(fromCents(MAX_CENTS)).toBe('999999999999.99');
    expect(fromCents(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('round-trips every amount the API allows, signed', () => {
    fc.assert(fc.property(signedCents, (cents) => toCents(fromCents(cents)) === cents));
  });

  it('reads "-0.00" as zero, not negative zero', () => {
    expect(Object.is(toCents('-0.00'), 0)).toBe(true);
  });

  it('throws RangeError on anything but an amount with two decimals', () => {
    for (const text of ['1', '1.5', '1.234', '01.00', '', 'abc', '1e2', '1000000000000.00', ' 1.00', '+1.00']) {
      expect(() => toCents(text), text).toThrow(RangeError);
    }
    expect(() => toCents(12 as unknown as string)).toThrow(RangeError);
  });

  it('refuses to write fractions of a cent or unsafe integers', () => {
    for (const cents of [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => fromCents(cents)).toThrow(RangeError);
    }
  });
});

describe('sumCents and mulCents', () => {
  it('adds exactly where floats would not', () => {
    expect(sumCents(10, 20)).toBe(30);
    expect(fromCents(sumCents(toCents('0.10'), toCents('0.20')))).toBe('0.30');
    expect(sumCents()).toBe(0);
  });

  it('equals the arithmetic sum for any amounts', () => {
    fc.assert(
      fc.property(fc.array(signedCents, { maxLength: 20 }), (amounts) => {
        const expected = amounts.reduce((sum, cents) => sum + BigInt(cents), 0n);
        expect(BigInt(sumCents(...amounts))).toBe(expected);
      }),
    );
  });

  it('throws rather than lose precision past the safe-integer range', () => {
    expect(() => sumCents(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(() => sumCents(1, 0.5)).toThrow(RangeError);
    expect(() => mulCents(MAX_CENTS, 1000)).toThrow(RangeError);
  });

  it('multiplies cents by a quantity', () => {
    expect(mulCents(849, 3)).toBe(2547);
    expect(() => mulCents(849, 1.5)).toThrow(RangeError);
  });
});

describe('mulRateHalfUp', () => {
  it('computes the spec late fee: 120.00 × 9 days × 0.003 = 3.24', () => {
    expect(mulRateHalfUp(12_000, '0.003', 9)).toBe(324);
  });

  it('rounds an exact half up where float arithmetic lands just below it', () => {
    expect(5550 * 0.003 * 30).toBeLessThan(499.5);
    expect(mulRateHalfUp(5550, '0.003', 30)).toBe(500);
    expect(mulRateHalfUp(1015, '0.01')).toBe(10);
    expect(mulRateHalfUp(50, '0.01')).toBe(1);
    expect(mulRateHalfUp(49, '0.01')).toBe(0);
  });

  it('rounds negative halves away from zero, mirroring the positive amount', () => {
    expect(mulRateHalfUp(-50, '0.01')).toBe(-1);
    fc.assert(fc.property(signedCents, rate, (cents, r) => mulRateHalfUp(-cents, r) === -mulRateHalfUp(cents, r)));
  });

  it('stays within half a cent of the exact product, halves going up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), rate, fc.integer({ min: 0, max: 366 }), (cents, r, times) => {
        const [units, fraction = ''] = r.split('.');
        const den = 10n ** BigInt(fraction.length);
        const exactTimesDen = BigInt(cents) * BigInt(units + fraction) * BigInt(times);
        const error = BigInt(mulRateHalfUp(cents, r, times)) * den - exactTimesDen;
        expect(-den < 2n * error && 2n * error <= den).toBe(true);
      }),
    );
  });

  it('treats times as a repeat count, rounding once', () => {
    expect(mulRateHalfUp(100, '0.005', 3)).toBe(2); // 1.5 once, not 0.5 rounded three times
    expect(mulRateHalfUp(12_000, '0.003', 0)).toBe(0);
  });

  it('throws RangeError on a rate that is not a plain non-negative decimal or a bad count', () => {
    for (const bad of ['abc', '-0.1', '1e-3', '.5', '0.', '', ' 0.1']) expect(() => mulRateHalfUp(100, bad), bad).toThrow(RangeError);
    expect(() => mulRateHalfUp(100, '0.1', -1)).toThrow(RangeError);
    expect(() => mulRateHalfUp(100, '0.1', 1.5)).toThrow(RangeError);
    expect(() => mulRateHalfUp(0.5, '0.1')).toThrow(RangeError);
    expect(() => mulRateHalfUp(MAX_CENTS, '1000')).toThrow(RangeError);
  });
});

describe('applyPercentOff', () => {
  it('takes a percentage off and rounds the price half up', () => {
    expect(applyPercentOff(10_000, 15)).toBe(8500);
    expect(applyPercentOff(999, '15')).toBe(849); // 849.15
    expect(applyPercentOff(101, 50)).toBe(51); // 50.5
    expect(applyPercentOff(1000, '12.5')).toBe(875);
    expect(applyPercentOff(1000, 12.5)).toBe(875);
  });

  it('keeps the price at 0 % and makes it free at 100 %', () => {
    fc.assert(fc.property(apiCents, (cents) => applyPercentOff(cents, 0) === cents && applyPercentOff(cents, '100') === 0));
  });

  it('never raises the price and never goes below zero', () => {
    fc.assert(
      fc.property(apiCents, fc.integer({ min: 0, max: 10_000 }), (cents, basisPoints) => {
        const price = applyPercentOff(cents, (basisPoints / 100).toFixed(2));
        return price >= 0 && price <= cents;
      }),
    );
  });

  it('gives a lower or equal price for a larger percentage', () => {
    fc.assert(
      fc.property(apiCents, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (cents, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return applyPercentOff(cents, high) <= applyPercentOff(cents, low);
      }),
    );
  });

  it('throws RangeError on percentages outside 0..100 or in exponent form', () => {
    for (const bad of [101, '100.01', -5, '-5', Number.NaN, 1e-7, 'ten']) expect(() => applyPercentOff(1000, bad), String(bad)).toThrow(RangeError);
  });
});

describe('compareDecimal and decimalText', () => {
  it('orders numbers and strings by value, not by text', () => {
    expect(compareDecimal('9', '10')).toBeLessThan(0);
    expect(compareDecimal(12.5, '12.50')).toBe(0);
    expect(compareDecimal('0.3', 0.1 + 0.2)).toBeLessThan(0);
    expect(compareDecimal(20, '15')).toBeGreaterThan(0);
  });

  it('writes numbers as plain decimals and refuses exponent forms', () => {
    expect(decimalText(12.5)).toBe('12.5');
    expect(decimalText('15.0')).toBe('15.0');
    expect(() => decimalText(1e-7)).toThrow(RangeError);
    expect(() => decimalText(-1)).toThrow(RangeError);
  });
});
