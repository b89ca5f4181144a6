import {
  allHandlersFinished, condition, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { WithActor } from '../domain/processes/common';
import {
  ticketOpened, ticketState, ticketUpdates, type TicketEventRecord, type TicketInput, type TicketPolicy, type TicketRecord, type TicketView,
} from '../domain/processes/ticket';
import { nextBusinessInstant } from '../domain/calendar';
import type { Actor } from '../domain/roles';
import { CrmAssignee, CrmCustomerId, CrmCustomerTier, CrmDueAt, CrmKind, CrmPriority, CrmSlaBreached, CrmStatus, CrmTier } from '../domain/search-attributes';
import { deadlineOf, pauseClock, reminderDueOf, resumeClock, startClock, type SlaClock } from '../domain/sla-clock';
import {
  FINAL_TICKET_STATES, queueState, tierAbove, ticketActions, ticketRefusal, workingState,
  type TicketAction, type TicketState, type Tier,
} from '../domain/tickets';
import { awaitChangeOrTimer, createWriteQueue, refuse, type DueTimer } from './common';

const { loadTicketPolicy, recordTicket, notify } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must delay the write, never lose it: retry until it lands.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['NotFound'] },
});

const SYSTEM: Actor = { id: 'system', name: 'SLA clock', roles: [] };

export async function ticketWorkflow(input: TicketInput): Promise<TicketView> {
  const workflowId = workflowInfo().workflowId;
  const enqueue = createWriteQueue();
  let policy: TicketPolicy | null = null;
  let seq = 0;
  let recordedSeq = -1;
  let version = 0;

  // The ticket as the business sees it; every transition below changes these and records the change.
  let status: TicketState = 'new';
  let tier: Tier = 'L1';
  let assigneeId: string | null = null;
  let dispatchOpinion: string | null = null;
  let resolution: string | null = null;
  let satisfaction: number | null = null;
  let supervisorAttention = false;
  let escalations = 0;
  let reopens = 0;
  let resolvedAt: number | null = null;
  let closedAt: number | null = null;
  let confirmationDueAt: number | null = null;
  let pendingReturn: TicketState | null = null;
  // Response: from entering a queue to being claimed (L1: intake to first action). Resolution: intake to resolved.
  let response: SlaClock | null = null;
  let resolutionClock: SlaClock | null = null;
  let responseBreached = false;
  let resolutionBreached = false;
  const createdAt = Date.now();

  const cal = () => policy?.calendar ?? null;
  const facts = () => ({ state: status, tier, category: input.category, assigneeId });
  const responseDue = () => (response ? deadlineOf(response, cal()) : null);
  const resolutionDue = () => (resolutionClock ? deadlineOf(resolutionClock, cal()) : null);
  const nextDue = () => {
    const dues = [responseDue(), resolutionDue(), confirmationDueAt].filter((d): d is number => d !== null);
    return dues.length ? Math.min(...dues) : null;
  };
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  function view(actor?: Actor): TicketView {
    return {
      id: input.number, status, tier, assigneeId, customerId: input.customerId, customerTier: policy?.customerTier ?? 'standard',
      category: input.category, priority: input.priority, dispatchOpinion, resolution, satisfaction,
      breached: responseBreached || resolutionBreached, supervisorAttention,
      sla: {
        responseDueAt: iso(responseDue()), resolutionDueAt: iso(resolutionDue()), confirmationDueAt: iso(confirmationDueAt),
        resolutionPaused: resolutionClock !== null && resolutionClock.runningSince === null,
        responseBreached, resolutionBreached, calendar: policy?.calendarName ?? null,
      },
      allowedActions: actor ? ticketActions(facts(), actor) : [],
    };
  }

  function record(): TicketRecord {
    return {
      id: input.number, workflowId, customerId: input.customerId, customerTier: policy!.customerTier, channel: input.channel,
      category: input.category, priority: input.priority, subject: input.subject, description: input.description,
      status, tier, assigneeId, dispatchOpinion, resolution, satisfaction, breached: responseBreached || resolutionBreached,
      supervisorAttention, responseDueAt: responseDue(), resolutionDueAt: resolutionDue(), queueDueAt: nextDue(),
      sla: { ...policy!.sla, calendar: policy!.calendarName }, escalations, reopens, createdBy: input.actor.id, createdAt, resolvedAt, closedAt,
    };
  }

  function showInTemporal(): void {
    const due = nextDue();
    upsertSearchAttributes([
      { key: CrmStatus, value: status },
      { key: CrmTier, value: tier },
      { key: CrmAssignee, value: assigneeId ?? null },
      { key: CrmSlaBreached, value: responseBreached || resolutionBreached },
      { key: CrmDueAt, value: due === null ? null : new Date(due) },
    ]);
    const who = assigneeId ? `assigned to ${assigneeId}` : status.startsWith('escalated') ? `waiting in the ${tier} queue` : '';
    const next = due === null ? 'no deadline running' : `next deadline ${new Date(due).toISOString()}`;
    setCurrentDetails(`**${status}** at ${tier}${who ? ` · ${who}` : ''} · ${next}${responseBreached || resolutionBreached ? ' · **SLA breached**' : ''}`);
  }

  /** Applies a change, shows it in Temporal at once, and records it in the database in order. */
  async function transition(action: string, actor: Actor, change: () => void, note: string | null = null, internal = false): Promise<TicketView> {
    const from = { status, tier };
    change();
    const event: TicketEventRecord = {
      seq: seq++, action, actorId: actor.id, fromStatus: action === 'open' ? null : from.status, toStatus: status,
      fromTier: action === 'open' ? null : from.tier, toTier: tier, note, internal, at: Date.now(),
    };
    version++;
    showInTemporal();
    const ticket = record();
    await enqueue(() => recordTicket({ ticket, event }));
    recordedSeq = Math.max(recordedSeq, event.seq);
    return view(actor);
  }

  function notifyOnce(kind: string, channel: 'queue' | 'supervisor' | 'customer', recipient: string, subject: string, body: string): Promise<void> {
    return enqueue(() => notify({ dedupeKey: `${workflowId}:${kind}:${seq}`, channel, recipient, subject, body, resourceType: 'ticket', resourceId: input.number }));
  }

  const enterQueue = (target: Exclude<Tier, 'L1'>) => {
    tier = target;
    status = queueState(target);
    assigneeId = null;
    response = startClock(policy!.sla.responseMs, Date.now());
  };
  const resumeResolution = () => {
    if (resolutionClock) resolutionClock = resumeClock(resolutionClock, Date.now());
  };
  const escalateTo = (target: Tier | null, opinion: string | null) => () => {
    if (!target || target === 'L1') return;
    escalations++;
    if (opinion) dispatchOpinion = opinion;
    resumeResolution();
    enterQueue(target);
  };

  // ---- human actions -------------------------------------------------------------------------
  const guard = (action: TicketAction) => (args: WithActor) => {
    if (!policy) refuse({ kind: 'invalid_state', message: 'the ticket is still being opened; try again in a moment', state: status, allowedActions: [] });
    refuse(ticketRefusal(facts(), action, args.actor));
  };

  setHandler(ticketUpdates.escalate, ({ actor, opinion }) => transition('escalate', actor, escalateTo(tierAbove(tier), opinion), opinion), { validator: guard('escalate') });
  setHandler(ticketUpdates.claim, ({ actor }) => transition('claim', actor, () => {
    status = workingState(tier as Exclude<Tier, 'L1'>);
    assigneeId = actor.id;
    response = null; // the response was made
  }), { validator: guard('claim') });
  setHandler(ticketUpdates.release, ({ actor }) => transition('release', actor, () => {
    status = queueState(tier as Exclude<Tier, 'L1'>);
    assigneeId = null;
  }), { validator: guard('release') });
  setHandler(ticketUpdates.notes, ({ actor, text, internal }) => transition('note', actor, () => {}, text, internal ?? false), { validator: guard('notes') });
  setHandler(ticketUpdates['request-info'], ({ actor, question }) => transition('request-info', actor, () => {
    pendingReturn = status;
    status = 'pending_customer';
    if (resolutionClock) resolutionClock = pauseClock(resolutionClock, Date.now(), cal());
  }, question), { validator: guard('request-info') });
  setHandler(ticketUpdates['customer-reply'], ({ actor, text }) => transition('customer-reply', actor, () => {
    status = pendingReturn ?? workingState('L2');
    pendingReturn = null;
    resumeResolution();
  }, text), { validator: guard('customer-reply') });
  setHandler(ticketUpdates.resolve, ({ actor, resolution: text }) => transition('resolve', actor, () => {
    status = 'resolved';
    resolution = text;
    resolvedAt = Date.now();
    response = null;
    if (resolutionClock) resolutionClock = pauseClock(resolutionClock, Date.now(), cal());
    confirmationDueAt = Date.now() + policy!.confirmationWindowMs;
  }, text), { validator: guard('resolve') });
  setHandler(ticketUpdates.confirm, ({ actor, satisfaction: score, comment }) => transition('confirm', actor, () => {
    satisfaction = score;
    close();
  }, comment ?? null), { validator: (args) => {
    guard('confirm')(args);
    if (!Number.isInteger(args.satisfaction) || args.satisfaction < 1 || args.satisfaction > 5) throw new RangeError('satisfaction must be 1–5');
  } });
  setHandler(ticketUpdates.reject, ({ actor, reason }) => transition('reject', actor, () => {
    reopens++;
    confirmationDueAt = null;
    resolution = null;
    resolvedAt = null;
    const above = tierAbove(tier);
    if (above) escalateTo(above, null)();
    else {
      // Rejected at L3: nowhere higher to go, so it returns to the L3 queue with the supervisor's attention.
      supervisorAttention = true;
      resumeResolution();
      enterQueue('L3');
    }
  }, reason), { validator: guard('reject') });
  setHandler(ticketUpdates.cancel, ({ actor, reason }) => transition('cancel', actor, () => {
    status = 'cancelled';
    finish();
  }, reason), { validator: guard('cancel') });
  setHandler(ticketUpdates.reassign, ({ actor, tier: target, assigneeId: assignee }) => transition('reassign', actor, () => {
    supervisorAttention = false;
    confirmationDueAt = null;
    resumeResolution();
    if (target === 'L1') {
      tier = 'L1';
      status = 'new';
      assigneeId = null;
      response = null;
    } else if (assignee) {
      tier = target;
      status = workingState(target);
      assigneeId = assignee;
      response = null;
    } else enterQueue(target);
  }, `to ${target}${assignee ? ` / ${assignee}` : ''}`), { validator: guard('reassign') });

  setHandler(ticketOpened, async () => {
    await condition(() => recordedSeq >= 0);
    return view(input.actor);
  });
  setHandler(ticketState, (actor) => view(actor));

  function finish() {
    closedAt = Date.now();
    response = null;
    confirmationDueAt = null;
    if (resolutionClock) resolutionClock = pauseClock(resolutionClock, Date.now(), cal());
  }
  function close() {
    status = 'closed';
    finish();
  }

  // ---- intake --------------------------------------------------------------------------------
  policy = await loadTicketPolicy({ customerId: input.customerId, priority: input.priority });
  upsertSearchAttributes([{ key: CrmKind, value: 'ticket' }, { key: CrmCustomerId, value: input.customerId }, { key: CrmCustomerTier, value: policy.customerTier }, { key: CrmPriority, value: input.priority }]);
  await transition('open', input.actor, () => {
    response = startClock(policy!.sla.responseMs, createdAt);
    resolutionClock = startClock(policy!.sla.resolutionMs, createdAt);
  }, input.subject);
  if (policy.customerTier === 'vip') {
    await notifyOnce('vip-intake', 'supervisor', 'supervisor', `VIP ticket ${input.number}`, `${input.priority} ${input.category} ticket opened for VIP customer ${input.customerId}: ${input.subject}`);
  }

  // ---- SLA clocks and the confirmation window --------------------------------------------------
  while (!FINAL_TICKET_STATES.includes(status)) await awaitChangeOrTimer(() => version, nextTimer());
  await condition(allHandlersFinished);
  await enqueue(async () => undefined);
  return view();

  function nextTimer(): DueTimer | null {
    const candidates: DueTimer[] = [];
    const reminderAt = policy!.sla.reminderAt;
    for (const [kind, clock] of [['response', response], ['resolution', resolutionClock]] as const) {
      if (!clock || clock.runningSince === null) continue;
      const remindAt = reminderDueOf(clock, reminderAt, cal());
      // Reminders wait for business hours; a deadline is a deadline.
      if (remindAt !== null) candidates.push({ at: nextBusinessInstant(remindAt, cal()), fire: () => remind(kind) });
      if (!clock.breached) candidates.push({ at: deadlineOf(clock, cal())!, fire: () => breach(kind) });
    }
    if (confirmationDueAt !== null) candidates.push({ at: confirmationDueAt, fire: () => transition('auto-close', SYSTEM, close, 'no answer within the confirmation window') });
    return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
  }

  async function remind(kind: 'response' | 'resolution') {
    if (kind === 'response') response = { ...response!, reminded: true };
    else resolutionClock = { ...resolutionClock!, reminded: true };
    const recipient = assigneeId ?? `queue:${tier}`;
    await notifyOnce(`${kind}-reminder`, 'queue', recipient, `Ticket ${input.number}: ${kind} SLA at ${Math.round(policy!.sla.reminderAt * 100)} %`,
      `The ${kind} window of ticket ${input.number} (${input.priority}) ends at ${iso(kind === 'response' ? responseDue() : resolutionDue())}.`);
  }

  async function breach(kind: 'response' | 'resolution') {
    const escalate = tier !== 'L3';
    await transition(`${kind}-breach`, SYSTEM, () => {
      if (kind === 'response') {
        responseBreached = true;
        response = { ...response!, breached: true };
      } else {
        resolutionBreached = true;
        resolutionClock = { ...resolutionClock!, breached: true };
      }
      if (escalate) escalateTo(tierAbove(tier), null)();
    }, `${kind} SLA breached${escalate ? `; escalated to ${tierAbove(tier)}` : ''}`);
    await notifyOnce(`${kind}-breach`, 'supervisor', 'supervisor', `SLA breached: ticket ${input.number}`,
      `The ${kind} window of ticket ${input.number} passed${escalate ? `; it now waits in the ${tier} queue` : ' at L3'}.`);
  }
}
