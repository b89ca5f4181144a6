import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from './calendar';
import { reminderOffset } from './sla';

// An SLA clock measures business time against a window. It can pause (the customer owes us an
// answer) and resume; the time already used is kept, so a pause never shortens the deadline.
export interface SlaClock {
  windowMs: number;
  usedMs: number;
  runningSince: number | null; // epoch ms; null while paused or stopped
  reminded: boolean;
  breached: boolean;
}

export function startClock(windowMs: number, now: number): SlaClock {
  return { windowMs, usedMs: 0, runningSince: now, reminded: false, breached: false };
}

export function pauseClock(clock: SlaClock, now: number, cal: BusinessCalendar | null): SlaClock {
  if (clock.runningSince === null) return clock;
  return { ...clock, usedMs: clock.usedMs + businessTimeBetween(clock.runningSince, now, cal), runningSince: null };
}

export function resumeClock(clock: SlaClock, now: number): SlaClock {
  return clock.runningSince === null ? { ...clock, runningSince: now } : clock;
}

function instantAfter(clock: SlaClock, usedTarget: number, cal: BusinessCalendar | null): number | null {
  if (clock.runningSince === null) return null;
  return addBusinessTime(clock.runningSince, Math.max(0, usedTarget - clock.usedMs), cal);
}

export function deadlineOf(clock: SlaClock, cal: BusinessCalendar | null): number | null {
  return instantAfter(clock, clock.windowMs, cal);
}

export function reminderDueOf(clock: SlaClock, reminderAt: number, cal: BusinessCalendar | null): number | null {
  return clock.reminded || clock.breached ? null : instantAfter(clock, reminderOffset(clock.windowMs, reminderAt), cal);
}

/** Business time left in the window (negative once overdue). */
export function remainingOf(clock: SlaClock, now: number, cal: BusinessCalendar | null): number {
  const used = clock.usedMs + (clock.runningSince === null ? 0 : businessTimeBetween(clock.runningSince, now, cal));
  return clock.windowMs - used;
}
