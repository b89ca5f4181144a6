import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../domain/calendar';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// SPEC §4's finer SLA rules: who hears a reminder, a question the customer never answers, and one
// calendar per policy. They change global settings, so the file has a database of its own.
let fresh: FreshDatabase;
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
beforeAll(async () => {
  fresh = await freshDatabase();
  h = await startHarness({ worker: true, env: { DATABASE_URL: fresh.url } });
  t = ticketDriver(h);
});
afterAll(async () => {
  await h?.close();
  await fresh?.drop();
});

const settings = (values: Record<string, unknown>) => t.call('admin', 'PUT', '/settings', values);
const outbox = (ticketId: string) => h.database.sql<{ dedupe_key: string; kind: string; audience: string[]; data: Record<string, unknown> }[]>`
  select dedupe_key, kind, audience, data from notification_outbox where resource_type = 'ticket' and resource_id = ${ticketId} order by id`;
type Event = { action: string; at: string; note: string | null; actorId: string; toStatus: string };
const eventOf = (detail: { timeline: Event[] }, action: string) => detail.timeline.find((e) => e.action === action)!;

/** Escalated to L2 and claimed there by the harness's L2 user. */
async function atL2(overrides: Record<string, unknown> = {}) {
  const { id } = await t.open(overrides);
  await t.act('agent', id, 'escalate', { opinion: 'needs a technician' });
  const claimed = await t.act('support_l2', id, 'claim');
  return { id, claimed };
}

describe('SLA reminders', () => {
  it('tells the tier\'s queue and the assignee when a window is 80 % used', async () => {
    // Only high tickets here: a resolution window of 10 s reminds at 8 s, long after the claim.
    await settings({ 'sla.high.response': '1h', 'sla.high.resolution': '10s', 'sla.reminderAt': 0.8 });
    const { id } = await atL2({ priority: 'high' });
    const reminder = await eventually(async () => (await outbox(id)).find((row) => row.kind === 'ticket.sla_reminder'), (row) => row !== undefined, { timeoutMs: 20_000 });
    expect(reminder).toMatchObject({ audience: ['tier:L2', `user:${h.users.support_l2.id}`], data: { clock: 'resolution', percent: 80 } });
    const detail = await t.get(id);
    expect(reminder!.data.dueAt).toBe(new Date(Date.parse(detail.createdAt) + 10_000).toISOString());
  });
});

describe('a question the customer does not answer', () => {
  it('closes the ticket after ticket.pendingCustomerTimeout and tells the customer', async () => {
    await settings({ 'ticket.pendingCustomerTimeout': '3s', 'ticket.pendingCustomerCloses': true });
    const { id } = await atL2();
    const waiting = await t.act('support_l2', id, 'request-info', { question: 'Which port is the line on?' });
    const asked = Date.parse(eventOf(await t.get(id), 'request-info').at);
    expect(waiting.sla.customerAnswerDueAt).toBe(new Date(asked + 3000).toISOString());
    const closed = await eventually(() => t.get(id), (d) => d.status === 'closed', { timeoutMs: 15_000 });
    const timedOut = eventOf(closed, 'pending-timeout');
    expect(timedOut).toMatchObject({ actorId: 'system', toStatus: 'closed', note: 'no answer from the customer within 3s; closed' });
    expect(Date.parse(timedOut.at)).toBeGreaterThanOrEqual(asked + 3000);
    expect(closed.satisfaction).toBeNull();
    const notice = await eventually(async () => (await outbox(id)).find((row) => row.kind === 'ticket.closed_unanswered'), (row) => row !== undefined);
    expect(notice).toMatchObject({ audience: [`customer:${closed.customerId}`], data: { number: id, subject: 'Line down', waited: '3s' } });
    await recordHistory(h.client, `ticket-${id}`, 'ticket-pending-customer-timeout');
  });

  it('resumes work at the tier instead where the setting says so, the paused time added to the deadline', async () => {
    await settings({ 'ticket.pendingCustomerTimeout': '3s', 'ticket.pendingCustomerCloses': false });
    const { id, claimed } = await atL2();
    await t.act('support_l2', id, 'request-info', { question: 'Which port is the line on?' });
    const resumed = await eventually(() => t.get(id), (d) => d.status === 'in_progress_l2', { timeoutMs: 15_000 });
    const paused = Date.parse(eventOf(resumed, 'pending-timeout').at) - Date.parse(eventOf(resumed, 'request-info').at);
    expect(eventOf(resumed, 'pending-timeout')).toMatchObject({ note: 'no answer from the customer within 3s; work resumes', toStatus: 'in_progress_l2' });
    expect(resumed.assigneeId).toBe(h.users.support_l2.id);
    expect(resumed.live.sla.customerAnswerDueAt).toBeNull();
    expect(Date.parse(resumed.live.sla.resolutionDueAt)).toBe(Date.parse(claimed.sla.resolutionDueAt) + paused);
    expect((await outbox(id)).map((row) => row.kind)).not.toContain('ticket.closed_unanswered');
  });

  it('keeps waiting for a customer who answers in time', async () => {
    await settings({ 'ticket.pendingCustomerTimeout': '3s', 'ticket.pendingCustomerCloses': true });
    const { id } = await atL2();
    await t.act('support_l2', id, 'request-info', { question: 'Which port?' });
    const answered = await t.act('agent', id, 'customer-reply', { text: 'Port 4' });
    expect(answered).toMatchObject({ status: 'in_progress_l2', sla: { customerAnswerDueAt: null } });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect((await t.get(id)).status).toBe('in_progress_l2');
  });
});

describe('one calendar per SLA policy', () => {
  it('takes the calendar the ticket\'s priority × customer tier names, else sla.calendar', async () => {
    const allDay = [['00:00', '24:00']];
    const calendar = { timeZone: 'UTC', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } } as unknown as BusinessCalendar;
    const [office, fallback] = [`office-${uniq()}`, `fallback-${uniq()}`];
    await t.call('admin', 'PUT', `/calendars/${office}`, { ...calendar, holidays: [] });
    await t.call('admin', 'PUT', `/calendars/${fallback}`, { ...calendar, holidays: [] });
    const refused = await t.call('admin', 'PUT', '/settings', { 'sla.calendar.low.key': `nowhere-${uniq()}` }, 422);
    expect(refused.errors).toEqual([{ path: '/sla.calendar.low.key', message: 'names no calendar' }]);
    await settings({ 'sla.calendar': fallback, 'sla.calendar.low.key': office });
    const keyCustomer = await t.customer('key');
    const policyCalendar = await t.open({ customerId: keyCustomer.id, priority: 'low' });
    const otherPriority = await t.open({ customerId: keyCustomer.id, priority: 'normal' });
    const otherTier = await t.open({ priority: 'low' });
    expect([policyCalendar, otherPriority, otherTier].map((opened) => opened.sla.calendar)).toEqual([office, fallback, fallback]);
  });
});
