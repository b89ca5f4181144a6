import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_TIERS,
  DEFAULT_SLA_SETTINGS,
  PRIORITIES,
  reminderOffset,
  resolveSla,
  slaSettingsFrom,
  type Priority,
  type SlaSettings,
} from '../../domain/sla';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('resolveSla with the default policy', () => {
  it.each([
    ['urgent', 'standard', 15 * MINUTE, 4 * HOUR],
    ['urgent', 'key', 11.25 * MINUTE, 3 * HOUR],
    ['urgent', 'vip', 7.5 * MINUTE, 2 * HOUR],
    ['high', 'standard', HOUR, 8 * HOUR],
    ['high', 'key', 45 * MINUTE, 6 * HOUR],
    ['high', 'vip', 30 * MINUTE, 4 * HOUR],
    ['normal', 'standard', 4 * HOUR, 24 * HOUR],
    ['normal', 'key', 3 * HOUR, 18 * HOUR],
    ['normal', 'vip', 2 * HOUR, 12 * HOUR],
    ['low', 'standard', 8 * HOUR, 72 * HOUR],
    ['low', 'key', 6 * HOUR, 54 * HOUR],
    ['low', 'vip', 4 * HOUR, 36 * HOUR],
  ] as const)('gives %s × %s a %d ms response and %d ms resolution window', (priority, tier, responseMs, resolutionMs) => {
    expect(resolveSla(DEFAULT_SLA_SETTINGS, priority, tier)).toEqual({ responseMs, resolutionMs, reminderAt: 0.8, source: 'policy' });
  });
});

describe('a service contract with its own SLA', () => {
  it('replaces the tier multiplier for both windows', () => {
    const terms = resolveSla(DEFAULT_SLA_SETTINGS, 'normal', 'vip', { responseMultiplier: 0.25, resolutionMultiplier: 1 });
    expect(terms).toEqual({ responseMs: HOUR, resolutionMs: 24 * HOUR, reminderAt: 0.8, source: 'contract' });
  });

  it('replaces only the window it names; the other keeps the tier multiplier', () => {
    const terms = resolveSla(DEFAULT_SLA_SETTINGS, 'high', 'key', { resolutionMultiplier: 0.5 });
    expect(terms).toMatchObject({ responseMs: 45 * MINUTE, resolutionMs: 4 * HOUR, source: 'contract' });
  });

  it('can lengthen a window beyond the policy', () => {
    expect(resolveSla(DEFAULT_SLA_SETTINGS, 'urgent', 'standard', { responseMultiplier: 2 }).responseMs).toBe(30 * MINUTE);
  });

  it('leaves the policy in charge when it sets no multiplier', () => {
    for (const contract of [null, undefined, {}]) {
      expect(resolveSla(DEFAULT_SLA_SETTINGS, 'urgent', 'vip', contract)).toMatchObject({ responseMs: 7.5 * MINUTE, source: 'policy' });
    }
  });
});

describe('rounding and refusals', () => {
  it('rounds windows to whole seconds', () => {
    const settings: SlaSettings = { ...DEFAULT_SLA_SETTINGS, multiplier: { vip: 1 / 3, key: 0.75 } };
    expect(resolveSla(settings, 'urgent', 'vip').responseMs).toBe(300_000);
    expect(resolveSla(DEFAULT_SLA_SETTINGS, 'urgent', 'standard', { responseMultiplier: 0.12345 }).responseMs).toBe(111_000);
  });

  it('refuses a multiplier that is not a positive number', () => {
    for (const responseMultiplier of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveSla(DEFAULT_SLA_SETTINGS, 'low', 'standard', { responseMultiplier })).toThrow(RangeError);
    }
  });

  it('refuses a reminder share outside (0, 1]', () => {
    expect(() => resolveSla({ ...DEFAULT_SLA_SETTINGS, reminderAt: 1.2 }, 'low', 'standard')).toThrow(/reminderAt/);
    expect(() => reminderOffset(HOUR, 0)).toThrow(RangeError);
  });
});

describe('reminderOffset', () => {
  it('places the reminder at the configured share of the window', () => {
    expect(reminderOffset(4 * HOUR, 0.8)).toBe(3.2 * HOUR);
    expect(reminderOffset(7.5 * MINUTE, 0.8)).toBe(6 * MINUTE);
    expect(reminderOffset(HOUR, 1)).toBe(HOUR);
  });
});

describe('slaSettingsFrom', () => {
  it('gives the Appendix A defaults for an empty map', () => {
    expect(slaSettingsFrom({})).toEqual({
      response: { urgent: 15 * MINUTE, high: HOUR, normal: 4 * HOUR, low: 8 * HOUR },
      resolution: { urgent: 4 * HOUR, high: 8 * HOUR, normal: 24 * HOUR, low: 72 * HOUR },
      multiplier: { vip: 0.5, key: 0.75 },
      reminderAt: 0.8,
    });
    expect(DEFAULT_SLA_SETTINGS).toEqual(slaSettingsFrom({}));
  });

  it('reads durations and numbers from the settings keys', () => {
    const settings = slaSettingsFrom({ 'sla.urgent.response': '90s', 'sla.low.resolution': '14d', 'sla.multiplier.vip': 0.4, 'sla.reminderAt': 0.5 });
    expect(settings.response.urgent).toBe(90_000);
    expect(settings.resolution.low).toBe(14 * 24 * HOUR);
    expect(settings.multiplier).toEqual({ vip: 0.4, key: 0.75 });
    expect(settings.reminderAt).toBe(0.5);
  });

  it('refuses values of the wrong kind', () => {
    expect(() => slaSettingsFrom({ 'sla.high.response': 3600 })).toThrow(/sla.high.response/);
    expect(() => slaSettingsFrom({ 'sla.multiplier.key': '0.75' })).toThrow(/sla.multiplier.key/);
  });
});

describe('SLA properties', () => {
  const multiplier = fc.double({ min: 0.01, max: 4, noNaN: true });
  const contract = fc.option(fc.record({ responseMultiplier: multiplier, resolutionMultiplier: multiplier }, { requiredKeys: [] }));

  it('always yields positive whole-second windows and a reminder inside them', () => {
    fc.assert(fc.property(fc.constantFrom(...PRIORITIES), fc.constantFrom(...CUSTOMER_TIERS), contract, (priority, tier, sla) => {
      const terms = resolveSla(DEFAULT_SLA_SETTINGS, priority, tier, sla);
      for (const windowMs of [terms.responseMs, terms.resolutionMs]) {
        expect(windowMs % 1000).toBe(0);
        expect(windowMs).toBeGreaterThan(0);
        expect(reminderOffset(windowMs, terms.reminderAt)).toBeLessThanOrEqual(windowMs);
      }
    }));
  });

  it('never gives a VIP or key customer a longer window than a standard one when their multipliers are at most 1', () => {
    const windows = fc.record(Object.fromEntries(PRIORITIES.map((p) => [p, fc.integer({ min: 1000, max: 30 * 24 * HOUR })])) as Record<Priority, fc.Arbitrary<number>>);
    const share = fc.double({ min: 0.01, max: 1, noNaN: true });
    const settings = fc.record({ response: windows, resolution: windows, multiplier: fc.record({ vip: share, key: share }), reminderAt: share });
    fc.assert(fc.property(settings, fc.constantFrom(...PRIORITIES), fc.constantFrom<'vip' | 'key'>('vip', 'key'), (policy, priority, tier) => {
      const standard = resolveSla(policy, priority, 'standard');
      const preferred = resolveSla(policy, priority, tier);
      expect(preferred.responseMs).toBeLessThanOrEqual(standard.responseMs);
      expect(preferred.resolutionMs).toBeLessThanOrEqual(standard.resolutionMs);
    }));
});
});
