import { addDays, calendarDay } from './dates';
import { fromCents, sumCents } from './money';
import type { SlaKind } from './processes/ticket-state';
import { PRIORITIES, type Priority } from './sla';
import { TIERS, type TicketState, type Tier } from './tickets';

// SPEC §7: the pure parts of the manager reports. SQL gathers and aggregates the rows; the rules that
// turn counts and amounts into the figures managers read (rates, aging buckets, ABC classes) live here.

/** numerator / denominator rounded to four places (0.1234 = 12.34 %), null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || numerator < 0 || denominator < 0) {
    throw new RangeError(`rate needs non-negative counts, got ${numerator}/${denominator}`);
  }
  if (denominator === 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

// ---- receivables aging ---------------------------------------------------------------------------

export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '>90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The bucket of an invoice that is `daysOverdue` days past due; an invoice not yet due is 0 days overdue. */
export function agingBucket(daysOverdue: number): AgingBucket {
  if (!Number.isSafeInteger(daysOverdue) || daysOverdue < 0) throw new RangeError(`days overdue must be a non-negative integer, got ${daysOverdue}`);
  if (daysOverdue <= 30) return '0-30';
  if (daysOverdue <= 60) return '31-60';
  if (daysOverdue <= 90) return '61-90';
  return '>90';
}

export interface AgedAmount {
  daysOverdue: number;
  outstandingCents: number;
  lateFeeCents: number;
}

export interface AgingTotals {
  invoices: number;
  outstanding: string;
  lateFees: string;
  total: string;
}

/** Sums open invoices per aging bucket, each bucket present even when empty, plus the grand total. */
export function ageReceivables(items: readonly AgedAmount[]): { buckets: Record<AgingBucket, AgingTotals>; total: AgingTotals } {
  const sums = (list: readonly AgedAmount[]): AgingTotals => {
    const outstanding = sumCents(...list.map((i) => i.outstandingCents));
    const fees = sumCents(...list.map((i) => i.lateFeeCents));
    return { invoices: list.length, outstanding: fromCents(outstanding), lateFees: fromCents(fees), total: fromCents(sumCents(outstanding, fees)) };
  };
  const buckets = Object.fromEntries(AGING_BUCKETS.map((bucket) => [bucket, sums(items.filter((i) => agingBucket(i.daysOverdue) === bucket))]));
  return { buckets: buckets as Record<AgingBucket, AgingTotals>, total: sums(items) };
}

// ---- ABC classification --------------------------------------------------------------------------

export type AbcClass = 'A' | 'B' | 'C';

/** Cumulative revenue shares that close class A and class B, in percent; C takes the rest. */
export const ABC_THRESHOLDS = { A: 75, B: 95 } as const;

export interface CustomerRevenue {
  customerId: string;
  revenueCents: number;
}

export interface ClassifiedCustomer extends CustomerRevenue {
  /** This customer's share of the total revenue, 0..1 (four places). */
  share: number;
  /** Share of the total earned by this customer and every customer ranked above it. */
  cumulativeShare: number;
  class: AbcClass;
}

/**
 * Ranks customers by revenue (highest first, ties by id) and classes them by the cumulative share of
 * the customers ranked above them: a customer is A while less than 75 % is already covered (so the
 * customer that crosses 75 % is still A), B while less than 95 %, C after that. Customers without
 * revenue are not classified. Comparisons are in whole cents, so no rounding moves a customer.
 */
export function classifyAbc(customers: readonly CustomerRevenue[]): ClassifiedCustomer[] {
  for (const c of customers) {
    if (!Number.isSafeInteger(c.revenueCents) || c.revenueCents < 0) throw new RangeError(`revenue of ${c.customerId} must be non-negative cents, got ${c.revenueCents}`);
  }
  const ranked = customers.filter((c) => c.revenueCents > 0)
    .sort((a, b) => b.revenueCents - a.revenueCents || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  const total = sumCents(...ranked.map((c) => c.revenueCents));
  let before = 0;
  return ranked.map((c) => {
    const klass: AbcClass = before * 100 < ABC_THRESHOLDS.A * total ? 'A' : before * 100 < ABC_THRESHOLDS.B * total ? 'B' : 'C';
    before += c.revenueCents;
    return { ...c, share: rate(c.revenueCents, total)!, cumulativeShare: rate(before, total)!, class: klass };
  });
}

/** Counts per value with every value present: the groups a GROUP BY found, zero for the rest. */
export function tally<K extends string>(values: readonly K[], groups: readonly { key: string | null; count: number }[]): Record<K, number> {
  const counts = Object.fromEntries(values.map((v) => [v, 0])) as Record<K, number>;
  for (const { key, count } of groups) if (key !== null && key in counts) counts[key as K] += count;
  return counts;
}

// ---- contract consumption ------------------------------------------------------------------------

export interface ContractDrawDown {
  targetCents: number;
  /** Call-offs fulfilled. */
  consumedCents: number;
  /** Call-offs of orders still running. */
  reservedCents: number;
}

/** What is left of a contract: target less everything drawn, never below zero (an amendment may lower the target). */
export const remainingCents = (c: ContractDrawDown) => Math.max(0, c.targetCents - c.consumedCents - c.reservedCents);

/** Target, draw-down and remaining value over several contracts; the rate is consumed / target. */
export function consumptionTotals(contracts: readonly ContractDrawDown[]) {
  const total = (pick: (c: ContractDrawDown) => number) => sumCents(...contracts.map(pick));
  const [target, consumed] = [total((c) => c.targetCents), total((c) => c.consumedCents)];
  return {
    target: fromCents(target), consumed: fromCents(consumed), reserved: fromCents(total((c) => c.reservedCents)),
    remaining: fromCents(total(remainingCents)), rate: rate(consumed, target),
  };
}

export const EXPIRY_WINDOWS = [30, 60, 90] as const;
export type ExpiryWindow = `within${(typeof EXPIRY_WINDOWS)[number]}Days`;
const DAY_MS = 86_400_000;

/** Active contracts whose term ends within 30, 60 and 90 days of `nowMs` (each window includes the shorter ones). */
export function expiringContracts(contracts: readonly { validToMs: number; targetCents: number }[], nowMs: number): Record<ExpiryWindow, { contracts: number; value: string }> {
  const windows = EXPIRY_WINDOWS.map((days) => {
    const ending = contracts.filter((c) => c.validToMs <= nowMs + days * DAY_MS);
    return [`within${days}Days`, { contracts: ending.length, value: fromCents(sumCents(...ending.map((c) => c.targetCents))) }];
  });
  return Object.fromEntries(windows) as Record<ExpiryWindow, { contracts: number; value: string }>;
}

// ---- ticket figures per day ----------------------------------------------------------------------

/** The events that mark an SLA breach (workflows/ticket.ts writes `<clock>-breach`), one per clock and ticket. */
export const BREACH_ACTIONS = ['response-breach', 'resolution-breach'] as const satisfies readonly `${SlaKind}-breach`[];

/** The state a ticket waits in, unclaimed, in each tier's queue (L1: a new ticket awaits the agent's first decision). */
export const WAITING_STATE: Record<Tier, TicketState> = { L1: 'new', L2: 'escalated_l2', L3: 'escalated_l3' };

/** The longest range a per-day report answers: a year, so a mistyped range never asks for centuries of days. */
export const MAX_REPORT_DAYS = 366;

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const count = calendarDay(to) - calendarDay(from) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(from, i));
}

/** A change of a tier's queue: +1 when a ticket enters it, −1 when it leaves, on the event's day (null: before the range). */
export interface QueueMove { day: string | null; tier: Tier; delta: number }

/**
 * Tickets waiting in each tier's queue at the end of each day: the moves before the range give the depth
 * at its start, each day's moves change it from there.
 */
export function queueDepthSeries(days: readonly string[], moves: readonly QueueMove[]): Array<{ day: string } & Record<Tier, number>> {
  const depth = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
  const byDay = new Map<string, QueueMove[]>();
  for (const move of moves) {
    if (move.day === null) depth[move.tier] += move.delta;
    else byDay.set(move.day, [...(byDay.get(move.day) ?? []), move]);
  }
  return days.map((day) => {
    for (const move of byDay.get(day) ?? []) depth[move.tier] += move.delta;
    return { day, ...depth };
  });
}

/** Breaches per day, by the tier the ticket was at when its clock ran out and by its priority; every day and value present. */
export function breachSeries(days: readonly string[], breaches: readonly { day: string; tier: Tier; priority: Priority; count: number }[]) {
  return days.map((day) => {
    const today = breaches.filter((b) => b.day === day);
    return {
      day,
      total: today.reduce((sum, b) => sum + b.count, 0),
      byTier: tally(TIERS, today.map((b) => ({ key: b.tier, count: b.count }))),
      byPriority: tally(PRIORITIES, today.map((b) => ({ key: b.priority, count: b.count }))),
    };
  });
}

/**
 * Cycle time buckets of closed tickets (intake to close), lower bounds in seconds. The edges are the default
 * resolution windows (urgent 4 h, high 8 h, normal 24 h, low 72 h), so a bar tells which promises a close kept.
 */
export const CYCLE_TIME_BUCKETS = [['<1h', 0], ['1-4h', 3_600], ['4-8h', 14_400], ['8-24h', 28_800], ['1-3d', 86_400], ['3-7d', 259_200], ['>7d', 604_800]] as const;
export type CycleTimeBucket = (typeof CYCLE_TIME_BUCKETS)[number][0];
/** The thresholds `width_bucket` needs: bucket i holds times from the i-th threshold (0 below the first) to the next. */
export const CYCLE_TIME_THRESHOLDS = CYCLE_TIME_BUCKETS.slice(1).map(([, seconds]) => seconds);
export const CYCLE_TIME_LABELS = CYCLE_TIME_BUCKETS.map(([label]) => label);
