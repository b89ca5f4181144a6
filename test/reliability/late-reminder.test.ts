import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

// SPEC §4 on the real stack: the 80 % reminder falls inside business hours, but the workflow worker is
// down when its timer rings and comes back only after closing time. The workflow then sees the timer
// late, outside hours, and must hold the reminder until the calendar opens again
// (`patched('late-reminder-waits')` in workflows/ticket.ts). Calendars have minute granularity, so the
// shortest closure is one minute: the file takes about 1¾–2¾ minutes. Settings are global: a database
// of its own.
const MINUTE = 60_000;
const SECOND = 1000;
// The time the ticket may take to open on a busy machine: its 80 % point still falls this much before closing.
const SLACK_MS = 5 * SECOND;
// The least time before closing for which a window exists that ends after closing while 80 % of it, plus the
// slack, ends before (see windowFor).
const LEAD_MS = 33 * SECOND;

let fresh: FreshDatabase;
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let worker: WorkerProcess | null = null;
beforeAll(async () => {
  fresh = await freshDatabase();
  h = await startHarness({ env: { DATABASE_URL: fresh.url } });
  t = ticketDriver(h);
  worker = await spawnWorker(h.config);
});
afterAll(async () => {
  await worker?.kill();
  await h?.close();
  await fresh?.drop();
});

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
const reminders = (ticketId: string) => h.database.sql<{ audience: string[]; data: Record<string, unknown>; created_at: string }[]>`
  select audience, data, created_at from notification_outbox
  where resource_type = 'ticket' and resource_id = ${ticketId} and kind = 'ticket.sla_reminder' order by id`;

/** "HH:MM" of a UTC minute of the day; the day's end is 24:00. */
const hhmm = (minuteOfDay: number) => `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;

/**
 * A UTC calendar open on every day during the given instants' minutes (minute-aligned [from, to) pairs,
 * each shorter than a day); an interval crossing midnight is split in two.
 */
function everyDay(intervals: Array<[number, number]>) {
  const ranges: Array<[string, string]> = [];
  for (const [from, to] of intervals) {
    const [start, end] = [(from % (24 * 60 * MINUTE)) / MINUTE, (to % (24 * 60 * MINUTE)) / MINUTE];
    if (start < end) ranges.push([hhmm(start), hhmm(end)]);
    else ranges.push([hhmm(start), '24:00'], ...(end > 0 ? [['00:00', hhmm(end)] as [string, string]] : []));
  }
  ranges.sort(([a], [b]) => a.localeCompare(b));
  const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, ranges]));
  return { timeZone: 'UTC', weekly, holidays: [] };
}

/**
 * A resolution window (whole seconds) whose 80 % point comes before `closesAt` and whose end comes after it,
 * for a ticket opened within SLACK_MS of `now`: longer than the time left, 80 % of it (rounded to seconds) that much shorter.
 */
function windowFor(closesAt: number, now: number): number {
  const windowMs = Math.ceil((closesAt - now) / SECOND) * SECOND + SECOND;
  expect(Math.round(0.8 * windowMs / SECOND) * SECOND).toBeLessThanOrEqual(closesAt - now - SLACK_MS);
  return windowMs;
}

/** The events of the workflow task that handled the first timer to fire, once a worker has completed it. */
function afterFirstTimer(events: HistoryEvent[]) {
  const fired = events.findIndex((e) => e.timerFiredEventAttributes);
  const completed = fired < 0 ? -1 : events.findIndex((e, i) => i > fired && e.workflowTaskCompletedEventAttributes);
  return completed < 0 ? null : { fired: events[fired]!, completed: events[completed]! };
}
// Seconds arrive as a protobuf Long.
const eventTime = (e: HistoryEvent) => Number(String(e.eventTime!.seconds)) * SECOND + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);

describe('a reminder that comes due while the worker is down', () => {
  it('is held after closing time and sent to the queue and the assignee when the calendar opens again', async () => {
    const customer = await t.customer('standard');
    const now = Date.now();
    // Open now until closing time ~33–93 s ahead, closed for one minute, open again for five.
    const closesAt = Math.ceil((now + LEAD_MS) / MINUTE) * MINUTE;
    const reopensAt = closesAt + MINUTE;
    const windowMs = windowFor(closesAt, now);
    const calendar = `late-reminder-${uniq()}`;
    await t.call('admin', 'PUT', `/calendars/${calendar}`, everyDay([[closesAt - 5 * MINUTE, closesAt], [reopensAt, reopensAt + 5 * MINUTE]]));
    await t.call('admin', 'PUT', '/settings', {
      'sla.high.response': '1h', 'sla.high.resolution': `${windowMs / SECOND}s`, 'sla.reminderAt': 0.8, 'sla.calendar.high.standard': calendar,
    });

    const opened = await t.open({ customerId: customer.id, priority: 'high' });
    await t.act('agent', opened.id, 'escalate', { opinion: 'needs a technician' });
    await t.act('support_l2', opened.id, 'claim');
    const createdAt = Date.parse((await t.get(opened.id)).createdAt);
    // The policy's calendar holds: the business time before closing counts, the rest runs on after the reopening.
    expect(opened.sla.calendar).toBe(calendar);
    expect(Date.parse(opened.sla.resolutionDueAt)).toBe(reopensAt + windowMs - (closesAt - createdAt));
    const remindAt = createdAt + Math.round(0.8 * windowMs / SECOND) * SECOND;
    expect(remindAt).toBeLessThan(closesAt);

    // The worker goes away before the 80 % point and comes back after closing time.
    await worker!.kill();
    worker = null;
    expect(Date.now()).toBeLessThan(remindAt);
    await sleepUntil(closesAt + SECOND);
    worker = await spawnWorker(h.config);

    // The restarted worker handles the timer that rang at the 80 % point, inside hours, and sends nothing.
    const handle = h.client.workflow.getHandle(`ticket-${opened.id}`);
    const late = await eventually(async () => afterFirstTimer((await handle.fetchHistory()).events ?? []), (step) => step !== null, { timeoutMs: 30_000 });
    expect(eventTime(late!.fired)).toBeGreaterThanOrEqual(remindAt);
    expect(eventTime(late!.fired)).toBeLessThan(closesAt);
    expect(eventTime(late!.completed)).toBeGreaterThanOrEqual(closesAt);
    expect(await reminders(opened.id)).toEqual([]);
    expect(Date.now()).toBeLessThan(reopensAt);

    // At the opening it goes out: to L2's queue and to the L2 agent holding the ticket.
    const [reminder] = await eventually(() => reminders(opened.id), (rows) => rows.length > 0, { timeoutMs: reopensAt - Date.now() + 20_000 });
    expect(Date.parse(reminder!.created_at)).toBeGreaterThanOrEqual(reopensAt);
    expect(reminder!.audience).toEqual(['tier:L2', `user:${h.users.support_l2.id}`]);
    expect(reminder!.data).toMatchObject({ clock: 'resolution', percent: 80, dueAt: opened.sla.resolutionDueAt });
    expect(await reminders(opened.id)).toHaveLength(1);

    await t.act('supervisor', opened.id, 'cancel', { reason: 'test over' });
    await eventually(() => t.get(opened.id), (detail) => detail.status === 'cancelled');
    await recordHistory(h.client, `ticket-${opened.id}`, 'ticket-late-reminder-waits');
  }, 240_000);
});
