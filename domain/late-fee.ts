import { calendarDay } from './dates';
import { decimalText, mulRateHalfUp, sumCents, toCents } from './money';
import type { Settings } from './settings';

// SPEC §6: amount × days overdue × rate per day, counted from the day after the due date up to and
// including the payment (or as-of) date, at most maxDays days and at most capCents, half up to cents.
// The rule is an input, not a constant: settings hold it and a running process keeps the values it started with.

export interface LateFeeRule {
  ratePerDay: string;
  maxDays: number;
  capCents: number;
}

export interface LateFee {
  daysOverdue: number;
  chargeableDays: number;
  feeCents: number;
  totalCents: number;
}

export const DEFAULT_LATE_FEE_RULE: LateFeeRule = Object.freeze({
  ratePerDay: '0.003',
  maxDays: 90,
  capCents: toCents('3000.00'),
});

/** The rule as the settings hold it (`invoice.lateFee*`); the rate is a number there, a decimal text here. */
export function lateFeeRuleFrom(settings: Settings): LateFeeRule {
  return {
    ratePerDay: decimalText(settings['invoice.lateFeeRatePerDay'] as number),
    maxDays: settings['invoice.lateFeeMaxDays'] as number,
    capCents: toCents(settings['invoice.lateFeeCap'] as string),
  };
}

export function daysOverdue(dueDate: string, asOf: string): number {
  return Math.max(0, calendarDay(asOf) - calendarDay(dueDate));
}

export function lateFee(amountCents: number, dueDate: string, asOf: string, rule: LateFeeRule = DEFAULT_LATE_FEE_RULE): LateFee {
  assertRule(rule);
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) {
    throw new RangeError(`invoice amount must be non-negative integer cents, got ${amountCents}`);
  }
  const overdue = daysOverdue(dueDate, asOf);
  const chargeableDays = Math.min(overdue, rule.maxDays);
  // One rounding over all days: rounding each day's fee would drift by up to half a cent per day.
  const feeCents = Math.min(mulRateHalfUp(amountCents, rule.ratePerDay, chargeableDays), rule.capCents);
  return { daysOverdue: overdue, chargeableDays, feeCents, totalCents: sumCents(amountCents, feeCents) };
}

function assertRule(rule: LateFeeRule): void {
  if (!Number.isSafeInteger(rule.maxDays) || rule.maxDays < 0) throw new RangeError(`maxDays must be a non-negative integer, got ${rule.maxDays}`);
  if (!Number.isSafeInteger(rule.capCents) || rule.capCents < 0) throw new RangeError(`capCents must be non-negative integer cents, got ${rule.capCents}`);
}
