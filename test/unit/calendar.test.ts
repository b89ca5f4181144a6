import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  isBusinessTime,
  nextBusinessInstant,
  validateCalendar,
  type BusinessCalendar,
  type Weekday,
} from '../../domain/calendar';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function office(timeZone: string, holidays: string[] = [], hours: [string, string] = ['09:00', '18:00']): BusinessCalendar {
  const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [hours]]));
  return { timeZone, weekly, holidays };
}

function everyDay(timeZone: string, ranges: Array<[string, string]>): BusinessCalendar {
  return { timeZone, weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, ranges])), holidays: [] };
}

const berlin = office('Europe/Berlin');
const newYork = office('America/New_York');

describe('addBusinessTime on a 09–18 Mon–Fri calendar', () => {
  it('carries Friday 17:00 + 2h over the weekend to Monday 10:00 local', () => {
    expect(iso(addBusinessTime(at('2025-03-14T17:00:00+01:00'), 2 * HOUR, berlin))).toBe(iso(at('2025-03-17T10:00:00+01:00')));
  });

  it('lands exactly at closing time when the window ends there, not at the next opening', () => {
    expect(iso(addBusinessTime(at('2025-03-14T17:00:00+01:00'), HOUR, berlin))).toBe(iso(at('2025-03-14T18:00:00+01:00')));
  });

  it('starts counting at the next opening when started outside hours', () => {
    expect(iso(addBusinessTime(at('2025-03-15T11:00:00+01:00'), HOUR, berlin))).toBe(iso(at('2025-03-17T10:00:00+01:00')));
  });

  it('skips a holiday', () => {
    const easterMonday = office('Europe/Berlin', ['2025-04-21']);
    expect(iso(addBusinessTime(at('2025-04-18T17:00:00+02:00'), 2 * HOUR, easterMonday))).toBe(iso(at('2025-04-22T10:00:00+02:00')));
  });

  it('returns the start itself for a zero duration, even outside hours', () => {
    const saturday = at('2025-03-15T11:00:00+01:00');
    expect(addBusinessTime(saturday, 0, berlin)).toBe(saturday);
  });

  it('turns 72h of business time into eight working days', () => {
    expect(iso(addBusinessTime(at('2025-03-10T09:00:00+01:00'), 72 * HOUR, berlin))).toBe(iso(at('2025-03-19T18:00:00+01:00')));
  });

  it('refuses a negative or non-finite duration', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addBusinessTime(0, bad, berlin)).toThrow(RangeError);
    }
  });
});

describe('daylight saving time', () => {
  it('keeps 09:00 local across the Berlin spring-forward weekend (UTC+1 → UTC+2)', () => {
    expect(iso(addBusinessTime(at('2025-03-28T16:00:00Z'), 2 * HOUR, berlin))).toBe('2025-03-31T08:00:00.000Z');
  });

  it('keeps 09:00 local across the Berlin fall-back weekend (UTC+2 → UTC+1)', () => {
    expect(iso(addBusinessTime(at('2025-10-24T15:00:00Z'), 2 * HOUR, berlin))).toBe('2025-10-27T09:00:00.000Z');
  });

  it('keeps 09:00 local across the New York spring-forward and fall-back weekends', () => {
    expect(iso(addBusinessTime(at('2025-03-07T22:00:00Z'), 2 * HOUR, newYork))).toBe('2025-03-10T14:00:00.000Z');
    expect(iso(addBusinessTime(at('2025-10-31T21:00:00Z'), 2 * HOUR, newYork))).toBe('2025-11-03T15:00:00.000Z');
  });

  it('counts 23 hours on the Berlin spring-forward day and 25 on the fall-back day', () => {
    const sundays: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sun: [['00:00', '24:00']] }, holidays: [] };
    expect(businessTimeBetween(at('2025-03-29T00:00:00Z'), at('2025-04-01T00:00:00Z'), sundays)).toBe(23 * HOUR);
    expect(businessTimeBetween(at('2025-10-25T00:00:00Z'), at('2025-10-28T00:00:00Z'), sundays)).toBe(25 * HOUR);
  });

  it('opens a range whose start falls into the skipped hour at the jump itself', () => {
    const lateStart: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sun: [['02:30', '10:00']] }, holidays: [] };
    expect(iso(nextBusinessInstant(at('2025-03-29T12:00:00Z'), lateStart))).toBe('2025-03-30T01:00:00.000Z');
    expect(businessTimeBetween(at('2025-03-29T12:00:00Z'), at('2025-03-31T00:00:00Z'), lateStart)).toBe(7 * HOUR);
  });

  it('counts only the first occurrence of a repeated wall-clock hour', () => {
    const night: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sun: [['01:00', '04:00']] }, holidays: [] };
    expect(iso(nextBusinessInstant(at('2025-10-25T12:00:00Z'), night))).toBe('2025-10-25T23:00:00.000Z');
    expect(iso(addBusinessTime(at('2025-10-25T12:00:00Z'), 4 * HOUR, night))).toBe('2025-10-26T03:00:00.000Z');
    const repeated: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { sun: [['02:00', '02:30']] }, holidays: [] };
    expect(businessTimeBetween(at('2025-10-25T12:00:00Z'), at('2025-10-27T00:00:00Z'), repeated)).toBe(30 * MINUTE);
    expect(isBusinessTime(at('2025-10-26T00:10:00Z'), repeated)).toBe(true);
    expect(isBusinessTime(at('2025-10-26T01:10:00Z'), repeated)).toBe(false);
  });

  it('handles Santiago, whose clocks change at midnight', () => {
    const weekend: BusinessCalendar = { timeZone: 'America/Santiago', weekly: { sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] }, holidays: [] };
    expect(iso(nextBusinessInstant(at('2024-09-05T00:00:00Z'), weekend))).toBe('2024-09-07T04:00:00.000Z');
    expect(businessTimeBetween(at('2024-09-05T00:00:00Z'), at('2024-09-12T00:00:00Z'), weekend)).toBe(47 * HOUR);
    expect(businessTimeBetween(at('2025-04-03T00:00:00Z'), at('2025-04-09T00:00:00Z'), weekend)).toBe(49 * HOUR);
    expect(isBusinessTime(at('2025-04-06T03:30:00Z'), weekend)).toBe(true);
  });
});

describe('interval boundaries', () => {
  it('treats an interval as open at its start and closed at its end', () => {
    expect(isBusinessTime(at('2025-03-14T09:00:00+01:00'), berlin)).toBe(true);
    expect(isBusinessTime(at('2025-03-14T17:59:59.999+01:00'), berlin)).toBe(true);
    expect(isBusinessTime(at('2025-03-14T18:00:00+01:00'), berlin)).toBe(false);
    expect(isBusinessTime(at('2025-03-15T12:00:00+01:00'), berlin)).toBe(false);
  });

  it('joins a night shift ending at 24:00 with the next morning starting at 00:00', () => {
    const nights: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: { mon: [['22:00', '24:00']], tue: [['00:00', '06:00']] }, holidays: [] };
    expect(iso(addBusinessTime(at('2025-03-10T23:00:00+01:00'), 3 * HOUR, nights))).toBe(iso(at('2025-03-11T02:00:00+01:00')));
  });

  it('finds the next opening, or the instant itself when open', () => {
    const open = at('2025-03-14T12:00:00+01:00');
    expect(nextBusinessInstant(open, berlin)).toBe(open);
    expect(iso(nextBusinessInstant(at('2025-03-14T18:00:00+01:00'), berlin))).toBe(iso(at('2025-03-17T09:00:00+01:00')));
  });
});

describe('calendars that never open', () => {
  const closed: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: {}, holidays: [] };
  const mondaysOff: BusinessCalendar = {
    timeZone: 'Europe/Berlin',
    weekly: { mon: [['09:00', '10:00']] },
    holidays: Array.from({ length: 160 }, (_, week) => iso(at('2025-01-06T00:00:00Z') + week * 7 * DAY).slice(0, 10)),
  };

  it('throws a RangeError instead of searching forever', () => {
    expect(() => addBusinessTime(at('2025-01-01T00:00:00Z'), HOUR, closed)).toThrow(/no open hours within 731 days/);
    expect(() => nextBusinessInstant(at('2025-01-01T00:00:00Z'), closed)).toThrow(RangeError);
    expect(() => addBusinessTime(at('2025-01-01T00:00:00Z'), HOUR, mondaysOff)).toThrow(RangeError);
  });

  it('reports no business time and never open', () => {
    expect(businessTimeBetween(0, 10 * DAY, closed)).toBe(0);
    expect(isBusinessTime(0, closed)).toBe(false);
  });

  it('refuses a malformed calendar with its problems', () => {
    const broken = { timeZone: 'Mars/Olympus', weekly: {}, holidays: [] } as BusinessCalendar;
    expect(() => addBusinessTime(0, HOUR, broken)).toThrow(/invalid business calendar: timeZone/);
  });
});

describe('without a calendar (24x7)', () => {
  it('is plain arithmetic', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 1e10 }), (start, d) => {
      expect(addBusinessTime(start, d, null)).toBe(start + d);
      expect(businessTimeBetween(start, start + d, null)).toBe(d);
      expect(isBusinessTime(start, null)).toBe(true);
      expect(nextBusinessInstant(start, null)).toBe(start);
    }));
  });
});

it('computes a 72h deadline with a bounded number of time-zone lookups, not per minute', () => {
  const lookups = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
  addBusinessTime(at('2025-03-10T09:00:00+01:00'), 72 * HOUR, berlin);
  expect(lookups.mock.calls.length).toBeLessThan(120);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('validateCalendar', () => {
  it('accepts a well-formed calendar', () => {
    const split: BusinessCalendar = {
      timeZone: 'America/New_York',
      weekly: { mon: [['13:00', '24:00'], ['08:00', '12:00']], sat: [['00:00', '24:00']] },
      holidays: ['2024-02-29', '2025-12-25'],
    };
    expect(validateCalendar(split)).toEqual([]);
  });

  it.each([
    ['a non-object', null, 'must be an object'],
    ['an unknown zone', { timeZone: 'Europe/Atlantis', weekly: { mon: [['09:00', '18:00']] }, holidays: [] }, 'timeZone: "Europe/Atlantis"'],
    ['a missing zone', { weekly: { mon: [['09:00', '18:00']] }, holidays: [] }, 'timeZone: must be an IANA'],
    ['a single-digit hour', { timeZone: 'UTC', weekly: { mon: [['9:00', '18:00']] }, holidays: [] }, 'weekly.mon[0]: start "9:00"'],
    ['24:00 as a start', { timeZone: 'UTC', weekly: { mon: [['24:00', '24:00']] }, holidays: [] }, 'start "24:00"'],
    ['an end of 24:30', { timeZone: 'UTC', weekly: { mon: [['09:00', '24:30']] }, holidays: [] }, 'end "24:30"'],
    ['a range ending before it starts', { timeZone: 'UTC', weekly: { tue: [['18:00', '09:00']] }, holidays: [] }, 'start 18:00 must be before end 09:00'],
    ['an empty range', { timeZone: 'UTC', weekly: { tue: [['09:00', '09:00']] }, holidays: [] }, 'must be before'],
    ['overlapping ranges', { timeZone: 'UTC', weekly: { wed: [['12:00', '18:00'], ['09:00', '13:00']] }, holidays: [] }, 'weekly.wed: 09:00–13:00 overlaps 12:00–18:00'],
    ['a range that is not a pair', { timeZone: 'UTC', weekly: { mon: [['09:00']] }, holidays: [] }, 'must be a pair'],
    ['an unknown weekday', { timeZone: 'UTC', weekly: { monday: [['09:00', '18:00']] }, holidays: [] }, 'weekly.monday: not a weekday'],
    ['an impossible date', { timeZone: 'UTC', weekly: { mon: [['09:00', '18:00']] }, holidays: ['2025-02-29'] }, 'holidays[0]: "2025-02-29"'],
    ['a date-time as holiday', { timeZone: 'UTC', weekly: { mon: [['09:00', '18:00']] }, holidays: ['2025-12-25T00:00'] }, 'holidays[0]'],
    ['missing holidays', { timeZone: 'UTC', weekly: { mon: [['09:00', '18:00']] } }, 'holidays: must be a list'],
    ['no opening hours', { timeZone: 'UTC', weekly: { mon: [] }, holidays: [] }, 'no opening hours'],
  ])('reports %s', (_name, cal, problem) => {
    const problems = validateCalendar(cal);
    expect(problems.join('\n')).toContain(problem);
  });

  it('accepts touching ranges', () => {
    expect(validateCalendar({ timeZone: 'UTC', weekly: { fri: [['09:00', '12:00'], ['12:00', '18:00']] }, holidays: [] })).toEqual([]);
  });
});

// ---- properties ----

const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Tokyo', 'UTC'];
const FROM = at('2024-01-01T00:00:00Z');
const TO = at('2027-01-01T00:00:00Z');
const DST_CHANGES = [
  '2024-03-31T01:00:00Z', '2024-10-27T01:00:00Z', '2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z',
  '2024-09-08T04:00:00Z', '2025-04-06T03:00:00Z', '2025-04-05T15:00:00Z', '2025-10-04T15:30:00Z',
].map(at);

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Non-overlapping ranges built from sorted distinct minute marks within [min, max]. */
const dayRanges = (min: number, max: number) =>
  fc.uniqueArray(fc.integer({ min, max }), { maxLength: 6 }).map((marks) => {
    const sorted = [...marks].sort((a, b) => a - b);
    const ranges: Array<[string, string]> = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([hhmm(sorted[i] as number), hhmm(sorted[i + 1] as number)]);
    return ranges;
  });

const holidays = fc.array(fc.integer({ min: FROM, max: TO }).map((ms) => iso(ms).slice(0, 10)), { maxLength: 40 });

const calendarWithin = (min: number, max: number) =>
  fc.record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.record(Object.fromEntries(WEEKDAYS.map((day) => [day, dayRanges(min, max)])) as Record<Weekday, fc.Arbitrary<Array<[string, string]>>>),
    holidays,
  }).filter((cal) => weeklyOpenMs(cal) > 0);

function weeklyOpenMs(cal: BusinessCalendar): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return Object.values(cal.weekly).flat().reduce((sum, [from, to]) => sum + (minutes(to) - minutes(from)) * MINUTE, 0);
}

const realistic = fc.constantFrom<BusinessCalendar>(
  office('Europe/Berlin', ['2024-12-25', '2024-12-26', '2025-01-01', '2025-04-18', '2025-04-21']),
  office('America/New_York', ['2025-07-04', '2025-11-27']),
  { timeZone: 'Asia/Tokyo', weekly: { mon: [['08:00', '12:00'], ['13:00', '17:00']], sat: [['10:00', '14:00']] }, holidays: [] },
  everyDay('Europe/Berlin', [['00:00', '03:30'], ['22:00', '24:00']]),
  everyDay('America/Santiago', [['00:00', '24:00']]),
);

const anyCalendar = fc.oneof(realistic, calendarWithin(0, 1440));

const instant = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc.tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -3 * DAY, max: 3 * DAY })).map(([change, shift]) => change + shift),
);

/** Durations up to three weeks' worth of the calendar's hours, so sparse calendars stay quick. */
const durationFor = (cal: BusinessCalendar) =>
  fc.oneof(fc.integer({ min: 0, max: 3 * weeklyOpenMs(cal) }), fc.integer({ min: 0, max: Math.min(2 * HOUR, weeklyOpenMs(cal)) }));

const scenario = anyCalendar.chain((cal) => fc.record({ cal: fc.constant(cal), start: instant, d: durationFor(cal) }));

describe('business-time properties', () => {
  it('a positive deadline is the earliest instant the duration has elapsed: inside an interval or exactly at its close', () => {
    fc.assert(fc.property(scenario, ({ cal, start, d }) => {
      fc.pre(d > 0);
      const deadline = addBusinessTime(start, d, cal);
      expect(deadline).toBeGreaterThan(start);
      expect(isBusinessTime(deadline - 1, cal)).toBe(true);
      expect(businessTimeBetween(start, deadline - 1, cal)).toBe(d - 1);
    }));
  });

  it('the business time from start to the deadline is exactly the duration', () => {
    fc.assert(fc.property(scenario, ({ cal, start, d }) => {
      expect(businessTimeBetween(start, addBusinessTime(start, d, cal), cal)).toBe(d);
    }));
  });

  it('a longer duration never gives an earlier deadline', () => {
    fc.assert(fc.property(scenario, fc.nat({ max: 10 * HOUR }), ({ cal, start, d }, extra) => {
      const extended = Math.min(d + extra, 3 * weeklyOpenMs(cal));
      expect(addBusinessTime(start, extended, cal)).toBeGreaterThanOrEqual(addBusinessTime(start, d, cal));
    }));
  });

  it('a later start never gives an earlier deadline', () => {
    fc.assert(fc.property(scenario, fc.nat({ max: 5 * DAY }), ({ cal, start, d }, delay) => {
      expect(addBusinessTime(start + delay, d, cal)).toBeGreaterThanOrEqual(addBusinessTime(start, d, cal));
    }));
  });

  it('pausing the clock never shortens a deadline', () => {
    const paused = fc.tuple(scenario, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 10 * DAY }));
    fc.assert(fc.property(paused, ([{ cal, start, d }, share, pause]) => {
      const deadline = addBusinessTime(start, d, cal);
      const p1 = start + Math.floor((deadline - start) * share);
      const p2 = p1 + pause;
      const remaining = d - businessTimeBetween(start, p1, cal);
      expect(addBusinessTime(p2, remaining, cal)).toBeGreaterThanOrEqual(deadline);
    }));
  });

  it('business time adds up over consecutive spans and matches isBusinessTime ms by ms', () => {
    fc.assert(fc.property(anyCalendar, instant, fc.nat({ max: 4 * DAY }), fc.nat({ max: 4 * DAY }), (cal, a, ab, bc) => {
      const [b, c] = [a + ab, a + ab + bc];
      expect(businessTimeBetween(a, c, cal)).toBe(businessTimeBetween(a, b, cal) + businessTimeBetween(b, c, cal));
      expect(businessTimeBetween(b, b + 1, cal)).toBe(isBusinessTime(b, cal) ? 1 : 0);
    }));
  });

  it('the next business instant is open and no business time passes before it', () => {
    fc.assert(fc.property(anyCalendar, instant, (cal, t) => {
      const next = nextBusinessInstant(t, cal);
      expect(next).toBeGreaterThanOrEqual(t);
      expect(isBusinessTime(next, cal)).toBe(true);
      expect(businessTimeBetween(t, next, cal)).toBe(0);
    }));
  });

  it('agrees with a minute-by-minute wall-clock count when no range touches a clock change', () => {
    // Hours from 04:00 to 23:00 avoid every DST switch of these zones, so plain wall-clock membership applies.
    fc.assert(fc.property(calendarWithin(240, 1380), instant, fc.nat({ max: 2 * DAY / MINUTE }), (cal, t, minutes) => {
      const from = Math.floor(t / MINUTE) * MINUTE;
      const to = from + minutes * MINUTE;
      expect(businessTimeBetween(from, to, cal)).toBe(wallClockCount(cal, from, to));
    }), { numRuns: 40 });
  });
});

function wallClockCount(cal: BusinessCalendar, from: number, to: number): number {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: cal.timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  let total = 0;
  for (let t = from; t < to; t += MINUTE) {
    const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
    const weekday = String(parts.weekday).toLowerCase().slice(0, 3) as Weekday;
    const time = `${parts.hour}:${parts.minute}`;
    const open = !cal.holidays.includes(`${parts.year}-${parts.month}-${parts.day}`)
      && (cal.weekly[weekday] ?? []).some(([start, end]) => start <= time && time < end);
    if (open) total += MINUTE;
  }
  return total;
}
