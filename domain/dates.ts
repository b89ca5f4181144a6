import { firstInstantAtOrAfter, wallClock, zoneClock } from './zones';

// The one date module. Business dates are YYYY-MM-DD calendar days in the business time zone
// (Appendix A; CRM_BUSINESS_TIME_ZONE, default UTC), never the host's, so a day means the same wherever
// the server runs. Workflows use these too: everything here is pure and deterministic.

export const UTC = 'UTC';

export const REAL_DAY_MS = 86_400_000;

// Four-digit years from 1000 (Date.UTC reads years 0–99 as 1900–1999).
const DATE_ONLY = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date. Counting whole UTC days keeps the result free of the
 * host's time zone and daylight-saving shifts; impossible dates such as 2026-02-30 are refused.
 */
export function calendarDay(date: string): number {
  const match = typeof date === 'string' ? DATE_ONLY.exec(date) : null;
  if (!match) throw new RangeError(`not a date: "${String(date)}" (expected YYYY-MM-DD)`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const parsed = new Date(time);
  if (parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) throw new RangeError(`no such date: "${date}"`);
  return time / REAL_DAY_MS;
}

/** An API date or date-time as epoch ms; a date means 00:00 of that day in `timeZone` (the first instant of it, across a DST gap). */
export function parseInstant(text: string, timeZone = UTC): number {
  if (DATE_ONLY.test(text)) return startOfDay(text, timeZone);
  const ms = DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not a date or date-time: "${text}"`);
  return ms;
}

/** The calendar day of an instant in `timeZone`, YYYY-MM-DD: what invoices, late fees and prices count in. */
export function dayOf(ms: number, timeZone = UTC): string {
  const wall = timeZone === UTC ? ms : wallClock(zoneClock(timeZone), ms);
  return new Date(wall).toISOString().slice(0, 10);
}

/** The first instant of `day` in `timeZone`. */
export function startOfDay(day: string, timeZone = UTC): number {
  const midnight = calendarDay(day) * REAL_DAY_MS;
  return timeZone === UTC ? midnight : firstInstantAtOrAfter(zoneClock(timeZone), midnight);
}

/** `day` plus `days` calendar days. Document dates (invoice due dates) are real days at any contract-day scale. */
export function addDays(day: string, days: number): string {
  return dayOf((calendarDay(day) + days) * REAL_DAY_MS);
}
