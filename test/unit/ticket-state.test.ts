import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../domain/calendar';
import type { TicketPolicy } from '../../domain/processes/ticket';
import {
  breach, cancel, claim, close, customerReply, escalate, mayRemindAt, newTicket, nextTicketDeadline, openTicket, pendingTimeout, reassign, reject, reminded, requestInfo, resolve,
  ticketRecord, ticketSearchAttributes, ticketView, withPolicy,
} from '../../domain/processes/ticket-state';
import { input, MIN, opened, policy, T0 } from '../helpers/ticket-fixtures';

/** Escalated to L2 at T0 + 10 min, claimed by U-l2. */
const claimed = () => claim(escalate(opened(), 'needs a technician', T0 + 10 * MIN), 'U-l2');

describe('ticket state', () => {
  it('starts both SLA clocks at intake', () => {
    const t = opened();
    expect(t.responseClock).toEqual({ windowMs: 60 * MIN, usedMs: 0, runningSince: T0, reminded: false, breached: false });
    expect(t.resolutionClock).toMatchObject({ windowMs: 8 * 60 * MIN, runningSince: T0 });
  });

  it('escalates one tier into its queue with a fresh response clock and the dispatch opinion', () => {
    const t = escalate(opened(), 'needs a technician', T0 + 10 * MIN);
    expect(t).toMatchObject({ status: 'escalated_l2', tier: 'L2', assigneeId: null, escalations: 1, dispatchOpinion: 'needs a technician' });
    expect(t.responseClock).toMatchObject({ runningSince: T0 + 10 * MIN, usedMs: 0 });
  });

  it('claim clears the response clock and sets the assignee', () => {
    const t = claimed();
    expect(t).toMatchObject({ status: 'in_progress_l2', assigneeId: 'U-l2', responseClock: null });
    expect(ticketView(t, input).sla.responseDueAt).toBeNull();
  });

  it('pauses the resolution clock while the customer owes an answer and returns to where it was', () => {
    const waiting = requestInfo(claimed(), T0 + 20 * MIN);
    expect(waiting).toMatchObject({ status: 'pending_customer', pendingReturn: 'in_progress_l2' });
    expect(waiting.resolutionClock).toMatchObject({ usedMs: 20 * MIN, runningSince: null });
    const back = customerReply(waiting, T0 + 60 * MIN);
    expect(back).toMatchObject({ status: 'in_progress_l2', pendingReturn: null });
    expect(back.resolutionClock).toMatchObject({ usedMs: 20 * MIN, runningSince: T0 + 60 * MIN });
  });

  it('resolves with a confirmation window; confirmation closes with the score, rejection reopens one tier up', () => {
    const resolved = resolve(claimed(), 'replaced the card', T0 + 30 * MIN);
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'replaced the card', resolvedAt: T0 + 30 * MIN, confirmationDueAt: T0 + 60 * MIN });
    expect(resolved.resolutionClock!.runningSince).toBeNull();
    expect(nextTicketDeadline(resolved, T0 + 30 * MIN)).toEqual({ kind: 'auto-close', at: T0 + 60 * MIN });
    expect(close(resolved, 5, T0 + 40 * MIN)).toMatchObject({ status: 'closed', satisfaction: 5, closedAt: T0 + 40 * MIN, confirmationDueAt: null });
    const reopened = reject(resolved, T0 + 40 * MIN);
    expect(reopened).toMatchObject({ status: 'escalated_l3', tier: 'L3', reopens: 1, escalations: 2, resolution: null, resolvedAt: null, confirmationDueAt: null });
    expect(reopened.resolutionClock!.runningSince).toBe(T0 + 40 * MIN);
  });

  it('flags a confirmation with a score of 1 or 2 for supervisor attention, and no other close', () => {
    const resolved = resolve(claimed(), 'replaced the card', T0 + 30 * MIN);
    expect([1, 2, 3, 5, null].map((score) => close(resolved, score, T0 + 40 * MIN).supervisorAttention)).toEqual([true, true, false, false, false]);
  });

  it('a rejection at L3 returns to the L3 queue with the supervisor\'s attention', () => {
    const atL3 = claim(escalate(claimed(), 'hardware', T0 + 20 * MIN), 'U-l3');
    const reopened = reject(resolve(atL3, 'done', T0 + 30 * MIN), T0 + 40 * MIN);
    expect(reopened).toMatchObject({ status: 'escalated_l3', tier: 'L3', supervisorAttention: true, escalations: 2, reopens: 1 });
  });

  it('reminds before the response deadline, then a breach marks it and escalates', () => {
    expect(nextTicketDeadline(opened(), T0)).toEqual({ kind: 'remind', clock: 'response', at: T0 + 48 * MIN });
    const remindedTicket = reminded(opened(), 'response');
    expect(nextTicketDeadline(remindedTicket, T0 + 48 * MIN)).toEqual({ kind: 'breach', clock: 'response', at: T0 + 60 * MIN });
    const breached = breach(remindedTicket, 'response', T0 + 60 * MIN);
    expect(breached).toMatchObject({ responseBreached: true, status: 'escalated_l2', tier: 'L2', escalations: 1 });
    expect(ticketSearchAttributes(breached).map((p) => [p.key.name, p.value])).toContainEqual(['CrmSlaBreached', true]);
  });

  it('a supervisor reassigns to a named assignee, back to L1, or into a queue', () => {
    expect(reassign(claimed(), 'L3', 'U-l3', T0)).toMatchObject({ tier: 'L3', status: 'in_progress_l3', assigneeId: 'U-l3', responseClock: null });
    expect(reassign(claimed(), 'L1', null, T0)).toMatchObject({ tier: 'L1', status: 'new', assigneeId: null, responseClock: null });
    expect(reassign(claimed(), 'L3', null, T0 + MIN).responseClock).toMatchObject({ runningSince: T0 + MIN });
  });

  it('cancel stops every clock', () => {
    const t = cancel(claimed(), T0 + 5 * MIN);
    expect(t).toMatchObject({ status: 'cancelled', closedAt: T0 + 5 * MIN, responseClock: null, confirmationDueAt: null });
    expect(t.resolutionClock!.runningSince).toBeNull();
    expect(nextTicketDeadline(t, T0 + 5 * MIN)).toBeNull();
  });

  it('derives the record from the same state', () => {
    expect(ticketRecord(claimed(), input, 'ticket-T-2026-000001')).toMatchObject({ status: 'in_progress_l2', tier: 'L2', assigneeId: 'U-l2', escalations: 1, createdAt: T0, responseDueAt: null });
  });

  it('a question the customer leaves unanswered for the policy\'s time closes the ticket, or resumes work where the setting says so', () => {
    const DAY = 24 * 60 * MIN;
    const waitingWith = (pendingCustomer?: TicketPolicy['pendingCustomer']) => {
      const withTerms = openTicket(withPolicy(newTicket(T0), { ...policy, pendingCustomer }));
      return requestInfo(claim(escalate(withTerms, 'needs a technician', T0 + 10 * MIN), 'U-l2'), T0 + 20 * MIN);
    };
    const closing = waitingWith({ timeoutMs: 7 * DAY, closes: true });
    expect(nextTicketDeadline(closing, T0 + 20 * MIN)).toEqual({ kind: 'pending-timeout', at: T0 + 20 * MIN + 7 * DAY });
    expect(ticketView(closing, input).sla.customerAnswerDueAt).toBe(new Date(T0 + 20 * MIN + 7 * DAY).toISOString());
    const closed = pendingTimeout(closing, T0 + 20 * MIN + 7 * DAY);
    expect(closed).toMatchObject({ status: 'closed', satisfaction: null, closedAt: T0 + 20 * MIN + 7 * DAY, pendingSince: null });
    expect(nextTicketDeadline(closed, T0 + 20 * MIN + 7 * DAY)).toBeNull();

    const resumed = pendingTimeout(waitingWith({ timeoutMs: 7 * DAY, closes: false }), T0 + 20 * MIN + 7 * DAY);
    expect(resumed).toMatchObject({ status: 'in_progress_l2', pendingReturn: null, pendingSince: null });
    expect(resumed.resolutionClock).toMatchObject({ usedMs: 20 * MIN, runningSince: T0 + 20 * MIN + 7 * DAY });

    // Opened before the setting existed: the ticket waits for the customer as long as it takes.
    expect(nextTicketDeadline(waitingWith(undefined), T0 + 20 * MIN)).toBeNull();
  });

  it('a reminder that comes due late outside business hours waits for the next business instant; a breach does not wait', () => {
    const hours = [['09:00', '17:00']];
    const office = { timeZone: 'UTC', weekly: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] }, holidays: [] } as unknown as BusinessCalendar;
    // Monday 09:00: the response reminder falls 5 business hours in (Monday 14:00), its breach 10 (Tuesday 11:00); resolution is days away.
    const t = openTicket(withPolicy(newTicket(T0), { ...policy, calendar: office, calendarName: 'office', sla: { ...policy.sla, responseMs: 600 * MIN, resolutionMs: 2400 * MIN, reminderAt: 0.5 } }));
    const at = (iso: string) => Date.parse(iso);
    expect(nextTicketDeadline(t, T0)).toEqual({ kind: 'remind', clock: 'response', at: at('2026-03-02T14:00:00Z') });
    // The worker was away until Monday 20:00: the reminder goes out when the office opens on Tuesday.
    expect(mayRemindAt(t, at('2026-03-02T20:00:00Z'))).toBe(false);
    expect(nextTicketDeadline(t, at('2026-03-02T20:00:00Z'))).toEqual({ kind: 'remind', clock: 'response', at: at('2026-03-03T09:00:00Z') });
    // Back at 15:00 the same day: at once.
    expect(mayRemindAt(t, at('2026-03-02T15:00:00Z'))).toBe(true);
    expect(nextTicketDeadline(t, at('2026-03-02T15:00:00Z'))).toEqual({ kind: 'remind', clock: 'response', at: at('2026-03-02T15:00:00Z') });
    expect(nextTicketDeadline(reminded(t, 'response'), at('2026-03-02T20:00:00Z'))).toEqual({ kind: 'breach', clock: 'response', at: at('2026-03-03T11:00:00Z') });
  });
});
