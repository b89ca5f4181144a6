// The one place where contract time is converted. A contract lives for months and speaks in days
// (notice period), months (renewal term) and billing periods; the workflow never sleeps on a constant
// but asks this clock. `dayMs` is the length of one contract day: 86 400 000 in production
// (CRM_CONTRACT_DAY_MS, config.ts), a few milliseconds in tests, so a year-long lifecycle runs in seconds.
// With the real day length the arithmetic is exact calendar arithmetic; with a shorter day every span
// shrinks by the same factor, measured from the same anchors.

export const REAL_DAY_MS = 86_400_000;

// Four-digit years from 1000 (Date.UTC reads years 0–99 as 1900–1999).
const DATE_ONLY = /^[1-9]\d{3}-\d{2}-\d{2}$/;
const DATE_TIME = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An API date or date-time as epoch ms. Appendix A: a date means 00:00 in the business time zone; the
 * business time zone of contracts is UTC, so invoice dates and validity days agree wherever the server runs.
 */
export function parseInstant(text: string): number {
  if (DATE_ONLY.test(text)) {
    const ms = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
    if (new Date(ms).toISOString().slice(0, 10) !== text) throw new RangeError(`no such date: "${text}"`);
    return ms;
  }
  const ms = DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not a date or date-time: "${text}"`);
  return ms;
}

/** The calendar day (UTC) of an instant, YYYY-MM-DD: what invoices and late fees count in. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` plus `days` calendar days. Document dates (invoice due dates) are real days at any scale. */
export function addDays(day: string, days: number): string {
  return dayOf(parseInstant(day) + days * REAL_DAY_MS);
}

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
