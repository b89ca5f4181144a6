// Wall clocks of IANA time zones, through Intl alone, so the workflow sandbox can use them: the SLA
// calendars (calendar.ts) and the business time zone of dates (dates.ts) both count local days with these.
// Wall-clock times are handled as "local time written as if it were UTC" ms, so that Date.UTC does the
// calendar arithmetic and the zone offset is simply wall - instant.

const DAY = 86_400_000;

// Building a DateTimeFormat is far costlier than using one; zones are few, so keep one per zone.
const clocks = new Map<string, Intl.DateTimeFormat>();

/** The clock of an IANA zone; throws RangeError for an unknown zone. */
export function zoneClock(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** What the zone's wall clock reads at `at`, as "local time written as if it were UTC" ms. */
export function wallClock(clock: Intl.DateTimeFormat, at: number): number {
  const p = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of clock.formatToParts(at)) {
    if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  }
  const millis = ((at % 1000) + 1000) % 1000;
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) + millis;
}

function offsetAt(clock: Intl.DateTimeFormat, at: number): number {
  return wallClock(clock, at) - at;
}

/** The first instant whose local wall clock reads `wall` or later (assumes one offset change per ±1 day). */
export function firstInstantAtOrAfter(clock: Intl.DateTimeFormat, wall: number): number {
  const candidates = [wall - offsetAt(clock, wall - DAY), wall - offsetAt(clock, wall + DAY)];
  const exact = candidates.filter((at) => wallClock(clock, at) === wall);
  if (exact.length > 0) return Math.min(...exact);
  return searchJump(clock, wall, Math.min(...candidates), Math.max(...candidates));
}

/** `wall` was skipped by a forward jump between `before` and `after`: find the jump to the ms. */
function searchJump(clock: Intl.DateTimeFormat, wall: number, before: number, after: number): number {
  let [lo, hi] = [before, after];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(clock, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
