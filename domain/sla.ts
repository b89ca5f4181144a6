// SLA policy (SPEC §4): response and resolution windows per priority, shortened for VIP and key customers, and
// overridden by a service contract's own SLA. Resolved once at intake; the ticket keeps the terms it got.
import { parseDuration } from './duration';
import { SETTINGS, type SettingKey } from './settings';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CUSTOMER_TIERS = ['vip', 'key', 'standard'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export interface SlaSettings {
  response: Record<Priority, number>;
  resolution: Record<Priority, number>;
  multiplier: { vip: number; key: number };
  reminderAt: number;
}

export interface ContractSla {
  responseMultiplier?: number;
  resolutionMultiplier?: number;
}

export interface SlaTerms {
  responseMs: number;
  resolutionMs: number;
  reminderAt: number;
  /** 'contract' when the customer's contract set at least one of the two multipliers. */
  source: 'policy' | 'contract';
}

const SECOND = 1000;

// Derived from the settings table's defaults so that the numbers of Appendix A are written down once.
export const DEFAULT_SLA_SETTINGS: SlaSettings = slaSettingsFrom({});

export function resolveSla(
  settings: SlaSettings,
  priority: Priority,
  tier: CustomerTier,
  contractSla?: ContractSla | null,
): SlaTerms {
  const tierMultiplier = tier === 'standard' ? 1 : settings.multiplier[tier];
  const responseMultiplier = contractSla?.responseMultiplier ?? tierMultiplier;
  const resolutionMultiplier = contractSla?.resolutionMultiplier ?? tierMultiplier;
  return {
    responseMs: scaledWindow('response', settings.response[priority], responseMultiplier),
    resolutionMs: scaledWindow('resolution', settings.resolution[priority], resolutionMultiplier),
    reminderAt: checkedReminderAt(settings.reminderAt),
    source: contractSla?.responseMultiplier != null || contractSla?.resolutionMultiplier != null ? 'contract' : 'policy',
  };
}

/** The setting naming the calendar of one SLA policy (priority × customer tier). */
export const policyCalendarKey = (priority: Priority, tier: CustomerTier): SettingKey => `sla.calendar.${priority}.${tier}`;

/** How far into a window the reminder falls; never past the window itself. */
export function reminderOffset(windowMs: number, reminderAt: number): number {
  return Math.min(windowMs, wholeSeconds(windowMs * checkedReminderAt(reminderAt)));
}

/**
 * SLA settings from the flat settings map (`"sla.urgent.response": "15m"`, `"sla.multiplier.vip": 0.5`, …);
 * a key that is absent takes its default from SETTINGS.
 */
export function slaSettingsFrom(values: Readonly<Partial<Record<SettingKey, unknown>>>): SlaSettings {
  const setting = (key: SettingKey) => values[key] ?? SETTINGS[key].default;
  const windows = (kind: 'response' | 'resolution') => Object.fromEntries(
    PRIORITIES.map((p) => [p, durationSetting(`sla.${p}.${kind}`, setting(`sla.${p}.${kind}`))]),
  ) as Record<Priority, number>;
  return {
    response: windows('response'),
    resolution: windows('resolution'),
    multiplier: {
      vip: numberSetting('sla.multiplier.vip', setting('sla.multiplier.vip')),
      key: numberSetting('sla.multiplier.key', setting('sla.multiplier.key')),
    },
    reminderAt: numberSetting('sla.reminderAt', setting('sla.reminderAt')),
  };
}

// Sub-second windows would be noise in deadlines shown to people, and whole seconds keep timers and
// replayed histories free of float residue such as 0.1 * 3.
function wholeSeconds(ms: number): number {
  return Math.round(ms / SECOND) * SECOND;
}

function scaledWindow(kind: string, windowMs: number, multiplier: number): number {
  if (!(Number.isFinite(multiplier) && multiplier > 0)) throw new RangeError(`${kind} multiplier must be a number > 0, got ${multiplier}`);
  if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new RangeError(`${kind} window must be a duration > 0, got ${windowMs}`);
  return Math.max(SECOND, wholeSeconds(windowMs * multiplier));
}

function checkedReminderAt(reminderAt: number): number {
  if (!(reminderAt > 0 && reminderAt <= 1)) throw new RangeError(`sla.reminderAt must be in (0, 1], got ${reminderAt}`);
  return reminderAt;
}

function durationSetting(key: string, value: unknown): number {
  if (typeof value !== 'string') throw new RangeError(`${key} must be a duration such as "4h", got ${JSON.stringify(value)}`);
  return parseDuration(value);
}

function numberSetting(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${key} must be a number, got ${JSON.stringify(value)}`);
  return value;
}
