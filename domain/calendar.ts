import { dayOf } from './dates';
import { firstInstantAtOrAfter, wallClock, zoneClock } from './zones';

// Business-hours arithmetic for SLA clocks (SPEC §4). Runs inside the workflow sandbox, so it never reads the
// host clock: every instant comes in as an argument, and time zones are resolved through Intl alone.
//
// Semantics, chosen so that the clock arithmetic stays exact and monotone:
// - A weekly range ["09:00", "18:00"] opens at the first instant the local clock shows 09:00 on that date and
//   closes at the first instant it shows 18:00 (half-open [open, close)). A wall time skipped by a
//   spring-forward jump therefore opens/closes at the jump itself; a wall time repeated by a fall-back jump
//   counts its first occurrence only.
// - addBusinessTime returns the earliest instant at which durationMs of business time has elapsed. For
//   durationMs > 0 that instant lies inside an interval or exactly at its close (Friday 17:00 + 1h on a
//   09–18 calendar is Friday 18:00, not Monday 09:00); for durationMs = 0 it is `start` itself.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessCalendar {
  timeZone: string;
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
  holidays: string[];
}

// Ordered as Date#getUTCDay numbers them, so a local date's weekday indexes straight into this list.
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE = 60_000;
const DAY = 86_400_000;
// Long enough for any real closure (holiday seasons), short enough to fail fast on a calendar that never opens.
const MAX_CLOSED_DAYS = 731;

type Interval = readonly [open: number, close: number];
type Range = readonly [fromMinute: number, toMinute: number];

interface CompiledCalendar {
  clock: Intl.DateTimeFormat;
  weekly: ReadonlyArray<readonly Range[]>;
  holidays: ReadonlySet<string>;
}

export function isBusinessTime(at: number, cal: BusinessCalendar | null): boolean {
  if (!cal) return true;
  const c = compile(cal);
  const day = localDay(c, at);
  // A clock falling back from just after midnight repeats the end of date D once D+1 has begun; by the
  // first-occurrence rule those instants belong to D+1's intervals.
  return [day, day + 1].some((d) => intervalsOn(c, d).some(([open, close]) => open <= at && at < close));
}

export function nextBusinessInstant(at: number, cal: BusinessCalendar | null): number {
  if (!cal) return at;
  for (const [open] of openIntervals(compile(cal), at)) return Math.max(open, at);
  throw neverOpens(cal, at);
}

export function addBusinessTime(start: number, durationMs: number, cal: BusinessCalendar | null): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`business duration must be a finite number of ms >= 0, got ${durationMs}`);
  }
  if (!cal || durationMs === 0) return start + durationMs;
  let remaining = durationMs;
  for (const [open, close] of openIntervals(compile(cal), start)) {
    const from = Math.max(open, start);
    if (remaining <= close - from) return from + remaining;
    remaining -= close - from;
  }
  throw neverOpens(cal, start);
}

export function businessTimeBetween(from: number, to: number, cal: BusinessCalendar | null): number {
  if (to <= from) return 0;
  if (!cal) return to - from;
  const c = compile(cal);
  let total = 0;
  for (const [open, close] of openIntervals(c, from, localDay(c, to) + 1)) {
    if (open >= to) break;
    total += Math.min(close, to) - Math.max(open, from);
  }
  return total;
}

export function validateCalendar(cal: unknown): string[] {
  const problems = structuralProblems(cal);
  if (problems.length === 0 && !hasOpeningHours(cal as BusinessCalendar)) {
    problems.push('weekly: no opening hours on any day, so SLA clocks would never run (use no calendar for 24x7)');
  }
  return problems;
}

function neverOpens(cal: BusinessCalendar, at: number): RangeError {
  return new RangeError(
    `business calendar (${cal.timeZone}) has no open hours within ${MAX_CLOSED_DAYS} days after ${new Date(at).toISOString()}`,
  );
}

/** Intervals with close > from, in order, until `lastDay` or until the calendar stays closed too long. */
function* openIntervals(c: CompiledCalendar, from: number, lastDay = Infinity): Generator<Interval> {
  let closedDays = 0;
  for (let day = localDay(c, from); day <= lastDay && closedDays <= MAX_CLOSED_DAYS; day++) {
    const open = intervalsOn(c, day).filter(([, close]) => close > from);
    closedDays = open.length > 0 ? 0 : closedDays + 1;
    yield* open;
  }
}

/** `day` counts local dates since 1970-01-01. */
function intervalsOn(c: CompiledCalendar, day: number): Interval[] {
  const date = new Date(day * DAY);
  if (c.holidays.has(dayOf(date.getTime()))) return [];
  const ranges = c.weekly[date.getUTCDay()] ?? [];
  return ranges
    .map(([from, to]): Interval => [firstInstantAtOrAfter(c.clock, day * DAY + from * MINUTE), firstInstantAtOrAfter(c.clock, day * DAY + to * MINUTE)])
    .filter(([open, close]) => close > open);
}

function localDay(c: CompiledCalendar, at: number): number {
  return Math.floor(wallClock(c.clock, at) / DAY);
}

function compile(cal: BusinessCalendar): CompiledCalendar {
  const problems = structuralProblems(cal);
  if (problems.length > 0) throw new RangeError(`invalid business calendar: ${problems.join('; ')}`);
  return {
    clock: zoneClock(cal.timeZone),
    weekly: WEEKDAYS.map((day) => (cal.weekly[day] ?? []).map(([from, to]): Range => [minutesOf(from), minutesOf(to)])),
    holidays: new Set(cal.holidays),
  };
}

// ---- validation ----

const START_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function structuralProblems(cal: unknown): string[] {
  if (!isRecord(cal)) return ['calendar must be an object {timeZone, weekly, holidays}'];
  return [...timeZoneProblems(cal.timeZone), ...weeklyProblems(cal.weekly), ...holidayProblems(cal.holidays)];
}

function timeZoneProblems(timeZone: unknown): string[] {
  if (typeof timeZone !== 'string' || timeZone === '') return ['timeZone: must be an IANA time zone name such as "Europe/Berlin"'];
  try {
    zoneClock(timeZone);
    return [];
  } catch {
    return [`timeZone: "${timeZone}" is not a known IANA time zone`];
  }
}

function weeklyProblems(weekly: unknown): string[] {
  if (!isRecord(weekly)) return ['weekly: must be an object such as {"mon": [["09:00", "18:00"]]}'];
  return Object.entries(weekly).flatMap(([day, ranges]) =>
    (WEEKDAYS as readonly string[]).includes(day)
      ? dayProblems(day, ranges)
      : [`weekly.${day}: not a weekday (use mon, tue, wed, thu, fri, sat, sun)`]);
}

function dayProblems(day: string, ranges: unknown): string[] {
  if (!Array.isArray(ranges)) return [`weekly.${day}: must be a list of ["HH:MM", "HH:MM"] ranges`];
  const problems = ranges.flatMap((range, i) => rangeProblems(`weekly.${day}[${i}]`, range));
  return problems.length > 0 ? problems : overlapProblems(day, ranges as Array<[string, string]>);
}

function rangeProblems(where: string, range: unknown): string[] {
  if (!Array.isArray(range) || range.length !== 2 || !range.every((t) => typeof t === 'string')) {
    return [`${where}: must be a pair ["HH:MM", "HH:MM"]`];
  }
  const [from, to] = range as [string, string];
  if (!START_TIME.test(from)) return [`${where}: start "${from}" is not a time 00:00–23:59`];
  if (!START_TIME.test(to) && to !== '24:00') return [`${where}: end "${to}" is not a time 00:00–24:00`];
  if (minutesOf(from) >= minutesOf(to)) return [`${where}: start ${from} must be before end ${to}`];
  return [];
}

function overlapProblems(day: string, ranges: Array<[string, string]>): string[] {
  const sorted = [...ranges].sort((a, b) => minutesOf(a[0]) - minutesOf(b[0]));
  return sorted.slice(1).flatMap((range, i) => {
    const previous = sorted[i] as [string, string];
    return minutesOf(range[0]) < minutesOf(previous[1])
      ? [`weekly.${day}: ${previous[0]}–${previous[1]} overlaps ${range[0]}–${range[1]}`]
      : [];
  });
}

function holidayProblems(holidays: unknown): string[] {
  if (!Array.isArray(holidays)) return ['holidays: must be a list of "YYYY-MM-DD" dates'];
  return holidays.flatMap((date, i) => (isValidDate(date) ? [] : [`holidays[${i}]: "${String(date)}" is not a YYYY-MM-DD date`]));
}

function isValidDate(date: unknown): boolean {
  const match = typeof date === 'string' ? DATE.exec(date) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function hasOpeningHours(cal: BusinessCalendar): boolean {
  return Object.values(cal.weekly).some((ranges) => (ranges ?? []).length > 0);
}
