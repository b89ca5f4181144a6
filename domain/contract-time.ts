import { REAL_DAY_MS } from './dates';

// The one place where contract time is converted. A contract lives for months and speaks in days
// (notice period), months (renewal term) and billing periods; the workflow never sleeps on a constant
// but asks this clock. `dayMs` is the length of one contract day: 86 400 000 in production
// (CRM_CONTRACT_DAY_MS, config.ts), a few milliseconds in tests, so a year-long lifecycle runs in seconds.
// With the real day length the arithmetic is exact calendar arithmetic; with a shorter day every span
// shrinks by the same factor, measured from the same anchors. Calendar dates themselves are in dates.ts.

function addCalendarMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  // 31 Jan + 1 month is the last day of February, not 3 March.
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

export interface ContractClock {
  /** A span of `n` contract days in ms. */
  days(n: number): number;
  /** The instant `n` contract months after `from`: calendar months, scaled by the day length. */
  monthsAfter(from: number, n: number): number;
}

export function contractClock(dayMs: number): ContractClock {
  if (!(dayMs > 0)) throw new RangeError(`dayMs must be positive, got ${dayMs}`);
  const scale = dayMs / REAL_DAY_MS;
  return {
    days: (n) => n * dayMs,
    monthsAfter: (from, n) => from + Math.round((addCalendarMonths(from, n) - from) * scale),
  };
}
