import type { Actor, Role } from './roles';
import { processRules, refusalFor, type ActionRules, type Objection } from './state-machine';
import type { Category } from './tickets';

// Major incidents (issue 17 §5): one fault that makes many customers call. A supervisor declares it,
// agents and support attach the tickets it causes (their resolution clocks pause while it is open), and
// resolving it resolves every attached ticket with its resolution.

export const INCIDENT_STATES = ['open', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const INCIDENT_ACTIONS = {
  attach: { from: ['open'], roles: ['agent', 'support_l2', 'support_l3', 'supervisor'] },
  resolve: { from: ['open'], roles: ['supervisor'] },
} as const satisfies ActionRules<IncidentState, string>;
export type IncidentAction = keyof typeof INCIDENT_ACTIONS;
export const INCIDENT_ACTION_NAMES = Object.keys(INCIDENT_ACTIONS) as IncidentAction[];
export const INCIDENT_DECLARERS: readonly Role[] = ['supervisor'];

export interface IncidentFacts {
  state: IncidentState;
}

const check = (i: IncidentFacts, action: IncidentAction, actor: Actor): Objection => refusalFor(INCIDENT_ACTIONS, i.state, action, actor);
const rules = processRules(INCIDENT_ACTION_NAMES, check);
export const incidentActions = rules.allowed;
export const incidentRefusal = rules.refusal;

/** The incident as its workflow holds it. */
export interface IncidentProcess {
  status: IncidentState;
  /** Attached tickets, in the order they were attached. */
  tickets: string[];
  resolution: string | null;
  resolvedAt: number | null;
}

export const newIncident = (): IncidentProcess => ({ status: 'open', tickets: [], resolution: null, resolvedAt: null });

/** Attaching twice is one attachment. */
export const attachTicket = (i: IncidentProcess, ticketId: string): IncidentProcess =>
  (i.tickets.includes(ticketId) ? i : { ...i, tickets: [...i.tickets, ticketId] });

export const resolveIncident = (i: IncidentProcess, resolution: string, now: number): IncidentProcess =>
  ({ ...i, status: 'resolved', resolution, resolvedAt: now });

/** The static summary managers read in the Temporal UI (codes only: the summary and region are free text and stay in the encrypted payloads). */
export function incidentSummary(i: { number: string; category: Category | null }): string {
  return `Major incident ${i.number}${i.category ? ` · ${i.category}` : ''}`;
}
