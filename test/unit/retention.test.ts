import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { retentionNeedsApproval, retentionTerms, type ContractTerms } from '../../domain/contracts';
import { dayOf, parseInstant } from '../../domain/dates';

// Issue 17 points 1 and 10: the pure rules under the retention step and the business time zone.
const terms: ContractTerms = {
  validFrom: Date.UTC(2026, 0, 1), validTo: Date.UTC(2027, 0, 1), targetValueCents: 0,
  targetQuantities: [{ sku: 'A', qty: 3, unitPriceCents: 1_999 }], prices: [{ sku: 'A', unitPriceCents: 1_999 }],
  paymentTerms: null, billing: { frequency: 'monthly', amountCents: 4_999 }, autoRenew: false, renewalMonths: 12, noticeDays: 30, terms: null,
};
const NOW = Date.UTC(2026, 5, 1);

describe('retention terms', () => {
  it('takes the discount off every price and the billing fee, half up to cents, and revalues a quantity contract', () => {
    // 19.99 × 0.85 = 16.9915 → 16.99; 49.99 × 0.85 = 42.4915 → 42.49; 3 × 16.99 = 50.97.
    const amended = retentionTerms('quantity', { ...terms, targetValueCents: 5_997 }, { discountPercent: 15, months: null, alternative: null }, null, NOW);
    expect(amended).toMatchObject({ prices: [{ sku: 'A', unitPriceCents: 1_699 }], billing: { amountCents: 4_249 }, targetValueCents: 5_097, validTo: terms.validTo });
  });

  it('changes nothing for an alternative in words, and only the term for months alone', () => {
    const value = { ...terms, targetQuantities: null, targetValueCents: 100_000 };
    expect(retentionTerms('value', value, { discountPercent: null, months: null, alternative: 'upgrade' }, null, NOW)).toBeNull();
    expect(retentionTerms('value', value, { discountPercent: null, months: 6, alternative: null }, Date.UTC(2027, 6, 1), NOW)).toEqual({ ...value, validTo: Date.UTC(2027, 6, 1) });
  });

  it('needs approval only for a discount above the threshold', () => {
    const offer = (discountPercent: number | null) => ({ discountPercent, months: 12, alternative: null });
    expect(retentionNeedsApproval(offer(10), 10)).toBe(false);
    expect(retentionNeedsApproval(offer(10.01), 10)).toBe(true);
    expect(retentionNeedsApproval(offer(null), 0)).toBe(false);
  });
});

describe('dates in the business time zone', () => {
  it('reads a date as the first instant of that day in the zone, across a DST gap too', () => {
    expect(parseInstant('2026-07-01', 'Europe/Berlin')).toBe(Date.UTC(2026, 5, 30, 22));
    expect(parseInstant('2026-01-01', 'America/New_York')).toBe(Date.UTC(2026, 0, 1, 5));
    // Havana springs forward at midnight: 8 March 2026 begins at 01:00 local, 05:00 UTC.
    expect(parseInstant('2026-03-08', 'America/Havana')).toBe(Date.UTC(2026, 2, 8, 5));
    expect(parseInstant('2026-07-01T12:00:00Z', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 12));
  });

  it('counts the local calendar day of an instant near midnight', () => {
    const lateEvening = Date.UTC(2026, 2, 31, 22, 30);
    expect(dayOf(lateEvening)).toBe('2026-03-31');
    expect(dayOf(lateEvening, 'Europe/Berlin')).toBe('2026-04-01');
    expect(dayOf(Date.UTC(2026, 3, 1, 3), 'America/Los_Angeles')).toBe('2026-03-31');
  });

  it('takes CRM_BUSINESS_TIME_ZONE, default UTC, and refuses an unknown zone', () => {
    expect(loadConfig({}).business.timeZone).toBe('UTC');
    expect(loadConfig({ CRM_BUSINESS_TIME_ZONE: 'Europe/Berlin' }).business.timeZone).toBe('Europe/Berlin');
    expect(() => loadConfig({ CRM_BUSINESS_TIME_ZONE: 'Mars/Olympus' })).toThrow(ConfigError);
  });
});
