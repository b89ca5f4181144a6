import type { Actor, Role } from './roles';
import { processRules, refusalFor, type ActionRules, type Objection } from './state-machine';
import type { CustomerTier, Priority } from './sla';

// SPEC §4: the complaint ticket's states and the human actions between them.
export const TICKET_STATES = [
  'new', 'escalated_l2', 'in_progress_l2', 'escalated_l3', 'in_progress_l3', 'pending_customer', 'resolved', 'closed', 'cancelled', 'merged',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TIERS = ['L1', 'L2', 'L3'] as const;
export type Tier = (typeof TIERS)[number];

export const CHANNELS = ['phone', 'email', 'web', 'walk_in', 'social'] as const;
export const CATEGORIES = ['usage', 'fault', 'billing', 'service_quality', 'consultation', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The records a ticket may name (`relatedTo`): the customer's own order, invoice or contract. */
export const RELATED_TYPES = ['order', 'invoice', 'contract'] as const;
export type RelatedType = (typeof RELATED_TYPES)[number];
export interface RelatedRecord {
  type: RelatedType;
  id: string;
}
export type Category = (typeof CATEGORIES)[number];

// `merged`: a duplicate folded into another ticket, which carries on with its notes (POST /tickets/:id/merge).
export const FINAL_TICKET_STATES: readonly TicketState[] = ['closed', 'cancelled', 'merged'];
const OPEN: TicketState[] = ['new', 'escalated_l2', 'in_progress_l2', 'escalated_l3', 'in_progress_l3', 'pending_customer'];
const WORKING: TicketState[] = ['in_progress_l2', 'in_progress_l3'];
const SUPPORT: Role[] = ['support_l2', 'support_l3', 'supervisor'];

export const TICKET_ACTIONS = {
  escalate: { from: ['new', 'in_progress_l2', 'escalated_l2', 'pending_customer'], roles: ['agent', 'support_l2', 'supervisor'] },
  claim: { from: ['escalated_l2', 'escalated_l3'], roles: SUPPORT },
  release: { from: WORKING, roles: SUPPORT },
  notes: { from: [...OPEN, 'resolved'], roles: ['agent', ...SUPPORT] },
  'request-info': { from: WORKING, roles: SUPPORT },
  'customer-reply': { from: ['pending_customer'], roles: ['agent', ...SUPPORT] },
  resolve: { from: ['new', ...WORKING], roles: ['agent', ...SUPPORT] },
  confirm: { from: ['resolved'], roles: ['agent', 'supervisor'] },
  reject: { from: ['resolved'], roles: ['agent', 'supervisor'] },
  cancel: { from: OPEN, roles: ['supervisor'] },
  reassign: { from: [...OPEN, 'resolved'], roles: ['supervisor'] },
  // A duplicate is merged while it is still open or awaiting confirmation; a closed one stays as it ended.
  merge: { from: [...OPEN, 'resolved'], roles: ['supervisor'] },
} as const satisfies ActionRules<TicketState, string>;
export type TicketAction = keyof typeof TICKET_ACTIONS;
export const TICKET_ACTION_NAMES = Object.keys(TICKET_ACTIONS) as TicketAction[];

/** Tickets whose clocks a major incident may hold: open ones, not yet resolved. */
export const OPEN_TICKET_STATES: readonly TicketState[] = OPEN;

/** What the rules need to know of a ticket beyond its state. */
export interface TicketFacts {
  state: TicketState;
  tier: Tier;
  category: Category;
  assigneeId: string | null;
}

/** The role that works each tier; a ticket is assigned only to a user with its tier's role. */
export const TIER_ROLE = { L1: 'agent', L2: 'support_l2', L3: 'support_l3' } as const satisfies Record<Tier, Role>;
/** The tier each tier role works: TIER_ROLE read backwards. */
export const ROLE_TIER: Partial<Record<Role, Tier>> = Object.fromEntries(Object.entries(TIER_ROLE).map(([tier, role]) => [role, tier]));

/** The tiers that have a queue of escalated tickets (L1 is the intake, not a queue). */
export type QueueTier = Exclude<Tier, 'L1'>;
export const isQueueTier = (tier: Tier | undefined): tier is QueueTier => tier === 'L2' || tier === 'L3';
/** What a tier's queue lists: its tickets waiting to be claimed, being worked, or waiting for the customer. */
export const QUEUE_STATES: Record<QueueTier, TicketState[]> = {
  L2: ['escalated_l2', 'in_progress_l2', 'pending_customer'],
  L3: ['escalated_l3', 'in_progress_l3', 'pending_customer'],
};
/** The queue a support user works by default: that of the first of their roles that works a queue. */
export const queueTierOf = (roles: readonly Role[]): QueueTier | undefined => roles.map((role) => ROLE_TIER[role]).find(isQueueTier);

export const queueState = (tier: QueueTier): TicketState => (tier === 'L2' ? 'escalated_l2' : 'escalated_l3');
export const workingState = (tier: QueueTier): TicketState => (tier === 'L2' ? 'in_progress_l2' : 'in_progress_l3');
export const tierAbove = (tier: Tier): Tier | null => (tier === 'L1' ? 'L2' : tier === 'L2' ? 'L3' : null);
export const MUST_ESCALATE: readonly Category[] = ['usage', 'fault'];

const ANY_TIER_ACTIONS: readonly TicketAction[] = ['notes', 'customer-reply', 'confirm', 'reject'];
const ASSIGNEE_ACTIONS: readonly TicketAction[] = ['release', 'request-info', 'resolve', 'escalate'];

/**
 * The table admits or refuses by state and role; these are the ticket's own rules on top: support staff
 * act only at their tier, only the assignee works a claimed ticket, usage and fault complaints cannot be
 * resolved at L1, a queued ticket is claimed before it is escalated, and L3 is the top.
 * Supervisors may do everything the table allows them.
 */
function check(t: TicketFacts, action: TicketAction, actor: Actor): Objection {
  const base = refusalFor(TICKET_ACTIONS, t.state, action, actor);
  if (base) return base;
  if (action === 'escalate' && t.tier === 'L3') return { kind: 'invalid_state', message: 'L3 is the highest tier' };
  if (actor.roles.includes('supervisor')) return null;
  if (!actor.roles.includes(TIER_ROLE[t.tier]) && !ANY_TIER_ACTIONS.includes(action)) {
    return { kind: 'forbidden', message: `this ticket is at ${t.tier}; ${actor.roles.join(', ')} cannot ${action} it` };
  }
  if (ASSIGNEE_ACTIONS.includes(action) && WORKING.includes(t.state) && t.assigneeId !== actor.id) {
    return { kind: 'forbidden', message: `the ticket is assigned to ${t.assigneeId}; only the assignee or a supervisor can ${action} it` };
  }
  if (action === 'escalate' && (t.state === 'escalated_l2' || t.state === 'pending_customer')) {
    return { kind: 'invalid_state', message: 'claim the ticket before escalating it' };
  }
  if (action === 'resolve' && t.state === 'new' && MUST_ESCALATE.includes(t.category)) {
    return { kind: 'invalid_state', message: `a ${t.category} complaint must be escalated with a dispatch opinion, not resolved at L1` };
  }
  return null;
}

const rules = processRules(TICKET_ACTION_NAMES, check);

/** The actions this actor can take on this ticket now (what a console shows as buttons). */
export const ticketActions = rules.allowed;
export const ticketRefusal = rules.refusal;

export interface TicketSummaryInput {
  number: string;
  customerTier: CustomerTier;
  priority: Priority;
  category: Category;
}

/** The static summary managers read in the Temporal UI. */
export function ticketSummary(t: TicketSummaryInput): string {
  return `Ticket ${t.number} · ${t.customerTier.toUpperCase()} · ${t.priority} · ${t.category}`;
}
