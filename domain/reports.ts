import { fromCents, sumCents } from './money';

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
