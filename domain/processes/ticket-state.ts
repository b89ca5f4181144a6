import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { nextBusinessInstant, type BusinessCalendar } from '../calendar';
import type { Actor } from '../roles';
import { CrmAssignee, CrmDueAt, CrmSlaBreached, CrmStatus, CrmTier } from '../search-attributes';
import { isLowSatisfaction } from '../portal';
import { deadlineOf, pauseClock, reminderDueOf, resumeClock, startClock, type SlaClock } from '../sla-clock';
import { queueState, tierAbove, ticketActions, workingState, type TicketFacts, type TicketState, type Tier } from '../tickets';
import type { TicketInput, TicketPolicy, TicketRecord, TicketView } from './ticket';

// The complaint ticket's state as one object, and every change to it as a pure function of the state,
// the change's arguments and the time: the workflow (workflows/ticket.ts) holds one TicketProcess,
// applies these and records the result. The view, the database record, the search attributes and the
// current details are read off the same object.

/** The actor of what the SLA clock does by itself (breaches, the auto-close). */
export const SLA_CLOCK: Actor = { id: 'system', name: 'SLA clock', roles: [] };

export type SlaKind = 'response' | 'resolution';

/** The ticket's own facts, the same as its database record's, plus the clocks they are derived from. */
export interface TicketProcess extends Pick<TicketRecord,
  'status' | 'tier' | 'assigneeId' | 'dispatchOpinion' | 'resolution' | 'satisfaction' | 'supervisorAttention' | 'escalations' | 'reopens' |
  'createdAt' | 'resolvedAt' | 'closedAt'> {
  confirmationDueAt: number | null;
  /** Where a ticket waiting for the customer returns to when they answer, and since when it waits. */
  pendingReturn: TicketState | null;
  pendingSince: number | null;
  /** Response: from entering a queue to being claimed (L1: intake to first action). Resolution: intake to resolved. */
  responseClock: SlaClock | null;
  resolutionClock: SlaClock | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  /** The terms taken at intake; null until they are loaded. */
  policy: TicketPolicy | null;
}

export function newTicket(createdAt: number): TicketProcess {
  return {
    status: 'new', tier: 'L1', assigneeId: null, dispatchOpinion: null, resolution: null, satisfaction: null, supervisorAttention: false,
    escalations: 0, reopens: 0, createdAt, resolvedAt: null, closedAt: null, confirmationDueAt: null, pendingReturn: null, pendingSince: null,
    responseClock: null, resolutionClock: null, responseBreached: false, resolutionBreached: false, policy: null,
  };
}

const calendarOf = (t: TicketProcess): BusinessCalendar | null => t.policy?.calendar ?? null;
const policyOf = (t: TicketProcess): TicketPolicy => {
  if (!t.policy) throw new Error('the ticket has no policy yet');
  return t.policy;
};
const pauseResolution = (t: TicketProcess, now: number): TicketProcess =>
  (t.resolutionClock ? { ...t, resolutionClock: pauseClock(t.resolutionClock, now, calendarOf(t)) } : t);
const resumeResolution = (t: TicketProcess, now: number): TicketProcess =>
  (t.resolutionClock ? { ...t, resolutionClock: resumeClock(t.resolutionClock, now) } : t);

/** Into a tier's queue, unassigned, with a fresh response clock. */
function enterQueue(t: TicketProcess, tier: Exclude<Tier, 'L1'>, now: number): TicketProcess {
  return { ...t, tier, status: queueState(tier), assigneeId: null, responseClock: startClock(policyOf(t).sla.responseMs, now) };
}

function escalateTo(t: TicketProcess, target: Tier | null, opinion: string | null, now: number): TicketProcess {
  if (!target || target === 'L1') return t;
  const escalated = resumeResolution({ ...t, escalations: t.escalations + 1, dispatchOpinion: opinion || t.dispatchOpinion }, now);
  return enterQueue(escalated, target, now);
}

/** Stops the clocks of a ticket that is done (closed or cancelled). */
function finish(t: TicketProcess, now: number): TicketProcess {
  return pauseResolution({ ...t, closedAt: now, responseClock: null, confirmationDueAt: null }, now);
}

// ---- changes -----------------------------------------------------------------------------------

/** The terms the ticket keeps for its life. */
export function withPolicy(t: TicketProcess, policy: TicketPolicy): TicketProcess {
  return { ...t, policy };
}

/** Intake: both SLA clocks start at the moment the ticket was created. */
export function openTicket(t: TicketProcess): TicketProcess {
  const { sla } = policyOf(t);
  return { ...t, responseClock: startClock(sla.responseMs, t.createdAt), resolutionClock: startClock(sla.resolutionMs, t.createdAt) };
}

/** One tier up, into its queue; a dispatch opinion travels with it. */
export function escalate(t: TicketProcess, opinion: string | null, now: number): TicketProcess {
  return escalateTo(t, tierAbove(t.tier), opinion, now);
}

/** Taken from the queue: the response was made. */
export function claim(t: TicketProcess, assigneeId: string): TicketProcess {
  return { ...t, status: workingState(t.tier as Exclude<Tier, 'L1'>), assigneeId, responseClock: null };
}

export function release(t: TicketProcess): TicketProcess {
  return { ...t, status: queueState(t.tier as Exclude<Tier, 'L1'>), assigneeId: null };
}

/** Waiting for the customer pauses the resolution clock. */
export function requestInfo(t: TicketProcess, now: number): TicketProcess {
  return pauseResolution({ ...t, pendingReturn: t.status, pendingSince: now, status: 'pending_customer' }, now);
}

export function customerReply(t: TicketProcess, now: number): TicketProcess {
  return resumeResolution({ ...t, status: t.pendingReturn ?? workingState('L2'), pendingReturn: null, pendingSince: null }, now);
}

/**
 * The customer left a question unanswered for the policy's time: the ticket closes unanswered (without a
 * satisfaction), or, where the setting says so, work resumes as if they had answered.
 */
export function pendingTimeout(t: TicketProcess, now: number): TicketProcess {
  return policyOf(t).pendingCustomer?.closes === false ? customerReply(t, now) : close({ ...t, pendingReturn: null, pendingSince: null }, null, now);
}

/** Resolved: the customer has the confirmation window to confirm or reject. */
export function resolve(t: TicketProcess, resolution: string, now: number): TicketProcess {
  const resolved: TicketProcess = { ...t, status: 'resolved', resolution, resolvedAt: now, responseClock: null, confirmationDueAt: now + policyOf(t).confirmationWindowMs };
  return pauseResolution(resolved, now);
}

/**
 * Closed: by the customer's confirmation, or by the clock when the confirmation window passes (satisfaction
 * null). A score of 1 or 2 flags the ticket for a supervisor: the customer accepted an answer they are
 * unhappy with, which the ticket lists and the console show. No patch() guards this: it changes no command
 * of the workflow, only what its record says, and a confirmed ticket's workflow has ended.
 */
export function close(t: TicketProcess, satisfaction: number | null, now: number): TicketProcess {
  const supervisorAttention = t.supervisorAttention || isLowSatisfaction(satisfaction);
  return finish({ ...t, status: 'closed', satisfaction: satisfaction ?? t.satisfaction, supervisorAttention }, now);
}

/** A rejected resolution reopens the ticket one tier up; at L3, back to the L3 queue with the supervisor's attention. */
export function reject(t: TicketProcess, now: number): TicketProcess {
  const reopened: TicketProcess = { ...t, reopens: t.reopens + 1, confirmationDueAt: null, resolution: null, resolvedAt: null };
  const above = tierAbove(t.tier);
  if (above) return escalateTo(reopened, above, null, now);
  return enterQueue(resumeResolution({ ...reopened, supervisorAttention: true }, now), 'L3', now);
}

export function cancel(t: TicketProcess, now: number): TicketProcess {
  return finish({ ...t, status: 'cancelled' }, now);
}

/** A supervisor moves the ticket: back to L1, to a named assignee at a tier, or into a tier's queue. */
export function reassign(t: TicketProcess, target: Tier, assigneeId: string | null, now: number): TicketProcess {
  const moved = resumeResolution({ ...t, supervisorAttention: false, confirmationDueAt: null }, now);
  if (target === 'L1') return { ...moved, tier: 'L1', status: 'new', assigneeId: null, responseClock: null };
  if (assigneeId) return { ...moved, tier: target, status: workingState(target), assigneeId, responseClock: null };
  return enterQueue(moved, target, now);
}

/** The reminder of a clock went out (not an event of the ticket: it changes nothing a person sees). */
export function reminded(t: TicketProcess, kind: SlaKind): TicketProcess {
  return kind === 'response' ? { ...t, responseClock: { ...t.responseClock!, reminded: true } } : { ...t, resolutionClock: { ...t.resolutionClock!, reminded: true } };
}

/** Whether a breach escalates: below L3 it does, at L3 there is nowhere higher. */
export const breachEscalates = (t: TicketProcess): boolean => t.tier !== 'L3';

/** A window passed: the breach is marked on the ticket and its clock, and below L3 the ticket goes one tier up. */
export function breach(t: TicketProcess, kind: SlaKind, now: number): TicketProcess {
  const marked: TicketProcess = kind === 'response'
    ? { ...t, responseBreached: true, responseClock: { ...t.responseClock!, breached: true } }
    : { ...t, resolutionBreached: true, resolutionClock: { ...t.resolutionClock!, breached: true } };
  return breachEscalates(t) ? escalateTo(marked, tierAbove(t.tier), null, now) : marked;
}

// ---- clocks --------------------------------------------------------------------------------------

export const responseDueAt = (t: TicketProcess): number | null => (t.responseClock ? deadlineOf(t.responseClock, calendarOf(t)) : null);
export const resolutionDueAt = (t: TicketProcess): number | null => (t.resolutionClock ? deadlineOf(t.resolutionClock, calendarOf(t)) : null);

/** The earliest deadline running: response, resolution or the confirmation window. */
export function nextDueAt(t: TicketProcess): number | null {
  const dues = [responseDueAt(t), resolutionDueAt(t), t.confirmationDueAt].filter((d): d is number => d !== null);
  return dues.length ? Math.min(...dues) : null;
}

export type TicketDeadline =
  | { kind: 'remind' | 'breach'; clock: SlaKind; at: number }
  | { kind: 'auto-close' | 'pending-timeout'; at: number };

/** When a ticket waiting for the customer stops waiting; tickets opened before the setting existed wait on. */
export const pendingTimeoutAt = (t: TicketProcess): number | null => {
  const timeoutMs = t.policy?.pendingCustomer?.timeoutMs;
  return t.status === 'pending_customer' && t.pendingSince !== null && timeoutMs !== undefined ? t.pendingSince + timeoutMs : null;
};

/** Whether a reminder may go out at `now`: never outside the calendar's hours. */
export const mayRemindAt = (t: TicketProcess, now: number): boolean => nextBusinessInstant(now, calendarOf(t)) === now;

/** What the ticket's clock does next and when, as seen at `now` (the earliest; on a tie, the first listed here). */
export function nextTicketDeadline(t: TicketProcess, now: number): TicketDeadline | null {
  const candidates: TicketDeadline[] = [];
  const cal = calendarOf(t);
  for (const [clock, running] of [['response', t.responseClock], ['resolution', t.resolutionClock]] as const) {
    if (!running || running.runningSince === null) continue;
    const remindAt = reminderDueOf(running, policyOf(t).sla.reminderAt, cal);
    // Reminders wait for business hours, also one that comes due late (after an outage) at night; a
    // deadline is a deadline.
    if (remindAt !== null) candidates.push({ kind: 'remind', clock, at: nextBusinessInstant(Math.max(remindAt, now), cal) });
    if (!running.breached) candidates.push({ kind: 'breach', clock, at: deadlineOf(running, cal)! });
  }
  if (t.confirmationDueAt !== null) candidates.push({ kind: 'auto-close', at: t.confirmationDueAt });
  const pendingUntil = pendingTimeoutAt(t);
  if (pendingUntil !== null) candidates.push({ kind: 'pending-timeout', at: pendingUntil });
  return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
}

// ---- what the ticket shows -----------------------------------------------------------------------

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const breached = (t: TicketProcess) => t.responseBreached || t.resolutionBreached;

export function ticketFacts(t: TicketProcess, input: Pick<TicketInput, 'category'>): TicketFacts {
  return { state: t.status, tier: t.tier, category: input.category, assigneeId: t.assigneeId };
}

export function ticketView(t: TicketProcess, input: TicketInput, actor?: Actor): TicketView {
  return {
    id: input.number, status: t.status, tier: t.tier, assigneeId: t.assigneeId, customerId: input.customerId, customerTier: t.policy?.customerTier ?? 'standard',
    category: input.category, priority: input.priority, dispatchOpinion: t.dispatchOpinion, resolution: t.resolution, satisfaction: t.satisfaction,
    breached: breached(t), supervisorAttention: t.supervisorAttention,
    sla: {
      responseDueAt: iso(responseDueAt(t)), resolutionDueAt: iso(resolutionDueAt(t)), confirmationDueAt: iso(t.confirmationDueAt),
      customerAnswerDueAt: iso(pendingTimeoutAt(t)), resolutionPaused: t.resolutionClock !== null && t.resolutionClock.runningSince === null,
      responseBreached: t.responseBreached, resolutionBreached: t.resolutionBreached, calendar: t.policy?.calendarName ?? null,
    },
    allowedActions: actor ? ticketActions(ticketFacts(t, input), actor) : [],
  };
}

export function ticketRecord(t: TicketProcess, input: TicketInput, workflowId: string): TicketRecord {
  const policy = policyOf(t);
  return {
    id: input.number, workflowId, customerId: input.customerId, customerTier: policy.customerTier, channel: input.channel,
    category: input.category, priority: input.priority, subject: input.subject, description: input.description,
    status: t.status, tier: t.tier, assigneeId: t.assigneeId, dispatchOpinion: t.dispatchOpinion, resolution: t.resolution, satisfaction: t.satisfaction,
    breached: breached(t), supervisorAttention: t.supervisorAttention, responseDueAt: responseDueAt(t), resolutionDueAt: resolutionDueAt(t), queueDueAt: nextDueAt(t),
    sla: { ...policy.sla, calendar: policy.calendarName }, escalations: t.escalations, reopens: t.reopens, createdBy: input.actor.id, createdAt: t.createdAt,
    resolvedAt: t.resolvedAt, closedAt: t.closedAt, confirmationWindowMs: policy.confirmationWindowMs,
  };
}

/** The search attributes that change with the ticket (kind, customer and priority are set once at intake). */
export function ticketSearchAttributes(t: TicketProcess): SearchAttributeUpdatePair[] {
  const due = nextDueAt(t);
  return [
    { key: CrmStatus, value: t.status },
    { key: CrmTier, value: t.tier },
    { key: CrmAssignee, value: t.assigneeId ?? null },
    { key: CrmSlaBreached, value: breached(t) },
    { key: CrmDueAt, value: due === null ? null : new Date(due) },
  ];
}

/** The current details managers read in the Temporal UI. */
export function ticketDetails(t: TicketProcess): string {
  const due = nextDueAt(t);
  const who = t.assigneeId ? `assigned to ${t.assigneeId}` : t.status.startsWith('escalated') ? `waiting in the ${t.tier} queue` : '';
  const next = due === null ? 'no deadline running' : `next deadline ${new Date(due).toISOString()}`;
  return `**${t.status}** at ${t.tier}${who ? ` · ${who}` : ''} · ${next}${breached(t) ? ' · **SLA breached**' : ''}`;
}
