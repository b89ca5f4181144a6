import { CONTRACT_ACTIONS, contractActions, contractSummary, type ContractAction, type ContractFacts } from './contracts';
import { ORDER_ACTIONS, orderActions, orderSummary, type OrderAction, type OrderFacts } from './orders';
import type { ContractRecord } from './processes/contract';
import type { OrderRecord } from './processes/order';
import type { TicketRecord } from './processes/ticket';
import type { Actor, Role } from './roles';
import { TIER_ROLE, ticketActions, ticketSummary, type TicketAction, type TicketFacts } from './tickets';

// SPEC §10: the work lists. A process's open tasks are read off its record after each transition with the
// process's own rules (ticketActions, orderActions, contractActions): a task exists while the rules let
// its owner take one of the actions that complete it, and it lists exactly those. Which roles own a kind
// comes from the same rules tables, except for tickets, whose work follows the tier (TIER_ROLE).

export const TASK_KINDS = [
  'ticket.queue', 'ticket.assigned', 'ticket.attention',
  'order.credit_hold', 'order.shipment', 'order.delivery', 'order.activation_report',
  'contract.approval', 'contract.signature', 'contract.renewal', 'contract.retention',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const PROCESS_TYPES = ['ticket', 'order', 'contract'] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];

export interface ProcessTask {
  kind: TaskKind;
  /** Everyone with this role, or (with `userId`) the one user of it whose task it is (a claimed ticket's assignee). */
  role: Role;
  userId: string | null;
  /**
   * Members of the role whose list leaves the task out: a party the four-eyes rules refuse one of its actions
   * (a drafter may still reject, but approving is another's, so the decision is not theirs to take).
   */
  barred: string[];
  /** The actions that complete the task, as the rules admit them for its owner now. */
  actions: string[];
  /** When a clock running on the process ends the wait, or null when none runs. */
  dueAt: number | null;
  /** When the task opens, if not with the transition that produced it (a renewal opens with the notice period). */
  opensAt: number | null;
}

export interface ProcessTasks {
  process: { type: ProcessType; id: string; summary: string };
  tasks: ProcessTask[];
}

/** An owner who is no party to the process: neither its assignee nor anyone the four-eyes rules name. */
const ANYONE = '';

/**
 * The task `kind` for each of `roles` whose members (with `userId`: that one user) the rules let take one
 * of `completing` now; `parties` are the users the four-eyes rules may name, each left out of the task when
 * the rules let them take less of it than anyone else.
 */
function offer<A extends string>(
  kind: TaskKind, roles: readonly Role[], completing: readonly A[], allowed: (actor: Actor) => A[],
  details: { dueAt: number | null; opensAt?: number | null; userId?: string | null; parties?: readonly string[] },
): ProcessTask[] {
  const { dueAt, opensAt = null, userId = null, parties = [] } = details;
  const actionsOf = (id: string, role: Role) => allowed({ id, name: '', roles: [role] }).filter((action) => completing.includes(action));
  return roles.flatMap((role) => {
    const actions = actionsOf(userId ?? ANYONE, role);
    if (actions.length === 0) return [];
    const barred = [...new Set(parties)].filter((party) => party !== userId && actionsOf(party, role).length < actions.length);
    return [{ kind, role, userId, barred, actions, dueAt, opensAt }];
  });
}

/** What completes each kind of ticket task: taking it from the queue, working it, or the supervisor's reassignment. */
const PICK_UP: readonly TicketAction[] = ['claim', 'escalate', 'resolve'];
const WORK: readonly TicketAction[] = ['resolve', 'escalate', 'request-info', 'customer-reply'];
const REASSIGN: readonly TicketAction[] = ['reassign'];

/**
 * A ticket is its tier's work: in the queue (L1: new tickets for agents) until claimed, then its assignee's;
 * a ticket flagged for supervisor attention is the supervisors' too. Every task runs to the nearest deadline.
 */
export function ticketTasks(t: TicketRecord): ProcessTasks {
  const facts: TicketFacts = { state: t.status, tier: t.tier, category: t.category, assigneeId: t.assigneeId };
  const allowed = (actor: Actor) => ticketActions(facts, actor);
  const role = TIER_ROLE[t.tier];
  const dueAt = t.queueDueAt;
  return {
    process: { type: 'ticket', id: t.id, summary: ticketSummary({ number: t.id, customerTier: t.customerTier, priority: t.priority, category: t.category }) },
    tasks: [
      ...(t.assigneeId
        ? offer('ticket.assigned', [role], WORK, allowed, { dueAt, userId: t.assigneeId })
        : offer('ticket.queue', [role], PICK_UP, allowed, { dueAt })),
      ...(t.supervisorAttention ? offer('ticket.attention', ['supervisor'], REASSIGN, allowed, { dueAt }) : []),
    ],
  };
}

const orderTask = (action: OrderAction) => ({ completing: [action], roles: ORDER_ACTIONS[action].roles });

/**
 * Credit holds for finance (decided within order.creditHoldTimeout of `at`, when the hold was recorded);
 * shipments, deliveries and, once the activation went unconfirmed, activation reports for fulfilment.
 */
export function orderTasks(o: OrderRecord, at: number): ProcessTasks {
  // A cancellation being unwound is not on the record; the order leaves every list when it lands.
  const facts: OrderFacts = { state: o.status, hasGoods: o.hasGoods, hasServices: o.hasServices, cancelling: false, placedBy: o.createdBy, fourEyes: o.fourEyes };
  const allowed = (actor: Actor) => orderActions(facts, actor);
  const credit = orderTask('credit-decision');
  const ship = orderTask('shipments');
  const deliver = orderTask('delivered');
  const activate = orderTask('activation-report');
  return {
    process: { type: 'order', id: o.id, summary: orderSummary({ number: o.id, lineCount: o.lineCount, totalCents: o.totalCents ?? 0, paymentTerms: o.paymentTerms, contractId: o.contractId }) },
    tasks: [
      ...offer('order.credit_hold', credit.roles, credit.completing, allowed, { dueAt: o.creditHoldMs === null ? null : at + o.creditHoldMs, parties: [o.createdBy] }),
      ...offer('order.shipment', ship.roles, ship.completing, allowed, { dueAt: null }),
      ...offer('order.delivery', deliver.roles, deliver.completing, allowed, { dueAt: null }),
      ...(o.activationReportOpen ? offer('order.activation_report', activate.roles, activate.completing, allowed, { dueAt: null }) : []),
    ],
  };
}

const DECIDE: readonly ContractAction[] = ['approve', 'reject'];
const RETAIN: readonly ContractAction[] = ['retention-offer', 'retention-accept', 'retention-decline'];

/**
 * The approval step awaiting a role; signing before the contract would expire unsigned at valid-to;
 * from the start of the notice period to valid-to, the renewal decision; and an open retention step.
 */
export function contractTasks(c: ContractRecord): ProcessTasks {
  const facts: ContractFacts = { state: c.status, approval: c.approval, fourEyes: c.fourEyes, retention: c.retention?.status ?? null, retentionOffered: c.retention?.offer != null };
  const allowed = (actor: Actor) => contractActions(facts, actor);
  const validTo = c.terms.validTo;
  return {
    process: { type: 'contract', id: c.id, summary: contractSummary({ number: c.id, type: c.type, targetValueCents: c.terms.targetValueCents, customerId: c.customerId }) },
    tasks: [
      ...offer('contract.approval', CONTRACT_ACTIONS.approve.roles, DECIDE, allowed, { dueAt: null, parties: c.approval?.conflicted.map((party) => party.actorId) }),
      ...offer('contract.signature', CONTRACT_ACTIONS.sign.roles, ['sign'], allowed, { dueAt: validTo }),
      ...(c.noticeFrom === null ? [] : offer('contract.renewal', CONTRACT_ACTIONS.renew.roles, ['renew'], allowed, { dueAt: validTo, opensAt: c.noticeFrom })),
      ...offer('contract.retention', CONTRACT_ACTIONS['retention-offer'].roles, RETAIN, allowed, { dueAt: null }),
    ],
  };
}

/** Whose list a task is on: a role's shared list or one user's. */
export const taskOwner = (task: Pick<ProcessTask, 'role' | 'userId'>): string => (task.userId === null ? `role:${task.role}` : `user:${task.userId}`);

/** Every list a caller reads: their own and each of their roles'. */
export const ownersOf = (actor: Pick<Actor, 'id' | 'roles'>): string[] => [`user:${actor.id}`, ...actor.roles.map((role) => `role:${role}`)];
