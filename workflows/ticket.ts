import { allHandlersFinished, condition, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { formatDuration } from '../domain/duration';
import type { Audience, NotificationData, NotificationKind } from '../domain/notifications';
import type { WithActor } from '../domain/processes/common';
import { ticketOpened, ticketState, ticketUpdates, type TicketEventRecord, type TicketInput, type TicketView } from '../domain/processes/ticket';
import {
  breach, breachEscalates, cancel, claim, close, customerReply, escalate, mayRemindAt, newTicket, nextTicketDeadline, openTicket, pendingTimeout, reassign, reject,
  reminded, release, requestInfo, resolutionDueAt, resolve, responseDueAt, SLA_CLOCK, ticketDetails, ticketFacts, ticketRecord, ticketSearchAttributes,
  ticketView, withPolicy, type SlaKind, type TicketDeadline, type TicketProcess,
} from '../domain/processes/ticket-state';
import type { Actor } from '../domain/roles';
import { CrmCustomerId, CrmCustomerTier, CrmKind, CrmPriority } from '../domain/search-attributes';
import { FINAL_TICKET_STATES, tierAbove, ticketRefusal, type TicketAction } from '../domain/tickets';
import { createWriteQueue, processActivities, processEngine, refuse, type DueTimer } from './common';

const activitiesOf = processActivities(['NotFound']);

const SYSTEM = SLA_CLOCK;

export async function ticketWorkflow(input: TicketInput): Promise<TicketView> {
  const engine = processEngine();
  const { loadTicketPolicy, recordTicket, notify } = activitiesOf(engine);
  const workflowId = workflowInfo().workflowId;
  const enqueue = createWriteQueue();

  // The ticket as the business sees it (domain/processes/ticket-state.ts); every transition below
  // replaces it and records the change.
  let ticket: TicketProcess = newTicket(Date.now());
  // Bookkeeping: events recorded, changes seen by the clock loop, and whether the opening is recorded.
  let seq = 0;
  let changes = 0;
  let opened = false;

  const view = (actor?: Actor) => ticketView(ticket, input, actor);

  function showInTemporal(): void {
    engine.show(ticketSearchAttributes(ticket));
    setCurrentDetails(ticketDetails(ticket));
  }

  /** Applies a change, shows it in Temporal at once, and records it in the database in order. */
  async function transition(action: string, actor: Actor, change: (t: TicketProcess) => TicketProcess, note: string | null = null, internal = false): Promise<TicketView> {
    const from = ticket;
    ticket = change(ticket);
    const event: TicketEventRecord = {
      seq: seq++, action, actorId: actor.id, fromStatus: action === 'open' ? null : from.status, toStatus: ticket.status,
      fromTier: action === 'open' ? null : from.tier, toTier: ticket.tier, note, internal, at: Date.now(),
    };
    changes++;
    showInTemporal();
    const record = ticketRecord(ticket, input, workflowId);
    await enqueue(() => recordTicket({ ticket: record, event }));
    opened = true;
    return view(actor);
  }

  function notifyOnce(step: string, kind: NotificationKind, audience: Audience | Audience[], data: NotificationData): Promise<void> {
    return enqueue(() => notify({
      dedupeKey: `${workflowId}:${step}:${seq}`, kind, audience: Array.isArray(audience) ? audience : [audience], resource: { type: 'ticket', id: input.number },
      data: { number: input.number, subject: input.subject, priority: input.priority, ...data },
    }));
  }

  // ---- human actions -------------------------------------------------------------------------
  const guard = (action: TicketAction) => (args: WithActor) => {
    if (!ticket.policy) refuse({ kind: 'invalid_state', message: 'the ticket is still being opened; try again in a moment', state: ticket.status, allowedActions: [] });
    refuse(ticketRefusal(ticketFacts(ticket, input), action, args.actor));
  };
  const now = () => Date.now();

  setHandler(ticketUpdates.escalate, ({ actor, opinion }) => transition('escalate', actor, (t) => escalate(t, opinion, now()), opinion), { validator: guard('escalate') });
  setHandler(ticketUpdates.claim, ({ actor }) => transition('claim', actor, (t) => claim(t, actor.id)), { validator: guard('claim') });
  setHandler(ticketUpdates.release, ({ actor }) => transition('release', actor, release), { validator: guard('release') });
  setHandler(ticketUpdates.notes, ({ actor, text, internal }) => transition('note', actor, (t) => t, text, internal ?? false), { validator: guard('notes') });
  setHandler(ticketUpdates['request-info'], ({ actor, question }) => transition('request-info', actor, (t) => requestInfo(t, now()), question), { validator: guard('request-info') });
  setHandler(ticketUpdates['customer-reply'], ({ actor, text }) => transition('customer-reply', actor, (t) => customerReply(t, now()), text), { validator: guard('customer-reply') });
  setHandler(ticketUpdates.resolve, ({ actor, resolution }) => transition('resolve', actor, (t) => resolve(t, resolution, now()), resolution), { validator: guard('resolve') });
  setHandler(ticketUpdates.confirm, ({ actor, satisfaction, comment }) => transition('confirm', actor, (t) => close(t, satisfaction, now()), comment ?? null), { validator: (args) => {
    guard('confirm')(args);
    if (!Number.isInteger(args.satisfaction) || args.satisfaction < 1 || args.satisfaction > 5) throw new RangeError('satisfaction must be 1–5');
  } });
  setHandler(ticketUpdates.reject, ({ actor, reason }) => transition('reject', actor, (t) => reject(t, now()), reason), { validator: guard('reject') });
  setHandler(ticketUpdates.cancel, ({ actor, reason }) => transition('cancel', actor, (t) => cancel(t, now()), reason), { validator: guard('cancel') });
  setHandler(ticketUpdates.reassign, ({ actor, tier, assigneeId }) => transition('reassign', actor, (t) => reassign(t, tier, assigneeId ?? null, now()),
    `to ${tier}${assigneeId ? ` / ${assigneeId}` : ''}`), { validator: guard('reassign') });

  setHandler(ticketOpened, async () => {
    await condition(() => opened);
    return view(input.actor);
  });
  setHandler(ticketState, (actor) => view(actor));

  // ---- intake --------------------------------------------------------------------------------
  const policy = input.policy ?? await loadTicketPolicy({ customerId: input.customerId, priority: input.priority });
  ticket = withPolicy(ticket, policy);
  engine.show([{ key: CrmKind, value: 'ticket' }, { key: CrmCustomerId, value: input.customerId }, { key: CrmCustomerTier, value: policy.customerTier }, { key: CrmPriority, value: input.priority }]);
  await transition('open', input.actor, openTicket, input.subject);
  if (policy.customerTier === 'vip') {
    await notifyOnce('vip-intake', 'ticket.vip_intake', 'role:supervisor', { category: input.category, customerId: input.customerId });
  }

  // ---- SLA clocks and the confirmation window --------------------------------------------------
  while (!FINAL_TICKET_STATES.includes(ticket.status)) await engine.awaitChangeOrTimer(() => changes, nextTimer());
  await condition(allHandlersFinished);
  await enqueue(async () => undefined);
  engine.flush();
  return view();

  function nextTimer(): DueTimer | null {
    const due = nextTicketDeadline(ticket, now());
    return due && { at: due.at, fire: () => act(due) };
  }

  function act(due: TicketDeadline): Promise<unknown> {
    switch (due.kind) {
      // A reminder timer that rings outside business hours (it came due while the worker was away) does
      // nothing: the loop looks again and finds the reminder at the next business instant.
      case 'remind': return !mayRemindAt(ticket, now()) && patched('late-reminder-waits') ? Promise.resolve() : remind(due.clock);
      case 'breach': return breached(due.clock);
      case 'auto-close': return transition('auto-close', SYSTEM, (t) => close(t, null, now()), 'no answer within the confirmation window');
      case 'pending-timeout': return pendingTimedOut();
    }
  }

  async function remind(kind: SlaKind) {
    ticket = reminded(ticket, kind);
    // The queue hears of it and, once someone holds the ticket, that person too (SPEC §4).
    const audience: Audience[] = ticket.assigneeId ? [`tier:${ticket.tier}`, `user:${ticket.assigneeId}`] : [`tier:${ticket.tier}`];
    // A reminder fires only while its clock runs, so the clock has a due time.
    const dueAt = (kind === 'response' ? responseDueAt(ticket) : resolutionDueAt(ticket))!;
    await notifyOnce(`${kind}-reminder`, 'ticket.sla_reminder', audience, { clock: kind, percent: Math.round(policy.sla.reminderAt * 100), dueAt: new Date(dueAt).toISOString() });
  }

  /** The customer did not answer a question within ticket.pendingCustomerTimeout. */
  async function pendingTimedOut() {
    const { timeoutMs, closes } = policy.pendingCustomer!;
    const waited = formatDuration(timeoutMs);
    await transition('pending-timeout', SYSTEM, (t) => pendingTimeout(t, now()), `no answer from the customer within ${waited}; ${closes ? 'closed' : 'work resumes'}`);
    // Told by the process rather than derived from the record: the wait is the ticket's policy, not a field of its row.
    if (closes) await notifyOnce('closed-unanswered', 'ticket.closed_unanswered', `customer:${input.customerId}`, { waited });
  }

  async function breached(kind: SlaKind) {
    const escalates = breachEscalates(ticket);
    await transition(`${kind}-breach`, SYSTEM, (t) => breach(t, kind, now()), `${kind} SLA breached${escalates ? `; escalated to ${tierAbove(ticket.tier)}` : ''}`);
    await notifyOnce(`${kind}-breach`, 'ticket.sla_breached', 'role:supervisor', { clock: kind, tier: ticket.tier });
  }
}
