import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Entitlement } from '../entitlement';
import type { BusinessCalendar } from '../calendar';
import type { Actor } from '../roles';
import type { CustomerTier, Priority, SlaTerms } from '../sla';
import { CrmCustomerId, CrmCustomerTier, CrmKind, CrmPriority, CrmStatus, CrmTier } from '../search-attributes';
import { TICKET_ACTION_NAMES, ticketSummary, type Category, type Channel, type RelatedRecord, type TicketAction, type TicketState, type Tier } from '../tickets';
import { defineActionUpdates } from './common';

// The complaint ticket's messages and shapes: the one module the workflow, its activities and the API
// all import (the workflow's own file holds only the process). Update and query names are part of every
// running ticket's history and must not change.

export const TICKET_WORKFLOW = 'ticketWorkflow';
export type TicketWorkflow = (input: TicketInput) => Promise<TicketView>;

export interface TicketInput {
  number: string;
  customerId: string;
  channel: Channel;
  category: Category;
  priority: Priority;
  subject: string;
  description: string;
  actor: Actor;
  /**
   * The terms resolved by the API at intake (the same repository read the activity makes), so a new
   * ticket opens without an activity; tickets opened before it was passed load it themselves.
   */
  policy?: TicketPolicy;
  /** The entitlement verdict at intake (GET /customers/:id/entitlement); absent for tickets opened before it existed. */
  entitlement?: Entitlement;
  /** The customer's order, invoice or contract the complaint is about, checked by the API. */
  relatedTo?: RelatedRecord;
  /** The major incident the ticket is attached to at intake: its resolution clock is held from the start. */
  incidentId?: string;
}

export interface TicketView {
  id: string;
  status: TicketState;
  tier: Tier;
  assigneeId: string | null;
  customerId: string;
  customerTier: string;
  category: Category;
  priority: Priority;
  dispatchOpinion: string | null;
  resolution: string | null;
  satisfaction: number | null;
  breached: boolean;
  supervisorAttention: boolean;
  incidentId: string | null;
  mergedInto: string | null;
  sla: {
    responseDueAt: string | null;
    resolutionDueAt: string | null;
    confirmationDueAt: string | null;
    /** While the ticket waits for the customer: when the wait ends (ticket.pendingCustomerTimeout). */
    customerAnswerDueAt: string | null;
    resolutionPaused: boolean;
    /** Why the resolution clock stands still: `major incident` or `pending customer`; null while it runs or once resolved. */
    pauseReason: PauseReason | null;
    responseBreached: boolean;
    resolutionBreached: boolean;
    calendar: string | null;
  };
  allowedActions: TicketAction[];
}

/** What each human action carries besides its actor. */
export interface TicketActionArgs extends Record<TicketAction, object> {
  escalate: { opinion: string };
  claim: object;
  /** `reason`: the system's note when it returns a claim (a deactivated user's); the API takes none. */
  release: { reason?: string };
  notes: { text: string; internal?: boolean };
  'request-info': { question: string };
  'customer-reply': { text: string };
  /** `articleIds`: published knowledge-base articles the resolution cites (checked by the API); absent in older histories. */
  resolve: { resolution: string; articleIds?: string[] };
  confirm: { satisfaction: number; comment?: string };
  reject: { reason: string };
  cancel: { reason: string };
  reassign: { tier: Tier; assigneeId?: string; reason?: string };
  merge: { into: string };
}

// Human decisions are Updates: the validator refuses early (409/403), the handler returns the new state.
export const ticketUpdates = defineActionUpdates<TicketView, TicketActionArgs>(TICKET_ACTION_NAMES);

/** Answers once intake is recorded; used with update-with-start so POST /tickets returns the SLA. */
export const ticketOpened = defineUpdate<TicketView>('opened');
export const ticketState = defineQuery<TicketView, [Actor?]>('state');

export type PauseReason = 'major incident' | 'pending customer';

/** A note of a merged ticket, as it moves to the ticket it was merged into. */
export interface MovedNote {
  text: string;
  internal: boolean;
  actorId: string;
  at: number;
}

// Messages between processes (signalled workflow to workflow, so they are durable): a major incident
// holds and resolves its tickets, a merged duplicate hands its notes to the ticket it was merged into.
export const ticketIncidentAttached = defineSignal<[{ incidentId: string; actor: Actor }]>('incidentAttached');
export const ticketIncidentResolved = defineSignal<[{ incidentId: string; resolution: string; actor: Actor }]>('incidentResolved');
export const ticketMergedIn = defineSignal<[{ from: string; notes: MovedNote[]; actor: Actor }]>('mergedIn');

/** The terms a ticket takes at intake and keeps for its life. */
export interface TicketPolicy {
  customerTier: CustomerTier;
  sla: SlaTerms;
  calendarName: string | null;
  calendar: BusinessCalendar | null;
  confirmationWindowMs: number;
  /** Absent for tickets opened before `ticket.pendingCustomerTimeout` existed: they wait for the customer as long as it takes. */
  pendingCustomer?: { timeoutMs: number; closes: boolean };
}

/**
 * What a new ticket shows in the Temporal UI before its payloads are decoded (numbers and codes only:
 * names and free text stay in the encrypted payloads) and the search attributes it starts with; the API
 * and the e-mail channel open tickets alike.
 */
export function ticketStart(input: Pick<TicketInput, 'customerId' | 'channel' | 'category' | 'priority'>, policy: Pick<TicketPolicy, 'customerTier'>) {
  return {
    summary: (number: string) => ticketSummary({ number, customerTier: policy.customerTier, priority: input.priority, category: input.category }),
    details: `Customer ${input.customerId} via ${input.channel}`,
    searchAttributes: [
      { key: CrmKind, value: 'ticket' }, { key: CrmStatus, value: 'new' }, { key: CrmTier, value: 'L1' },
      { key: CrmCustomerId, value: input.customerId }, { key: CrmCustomerTier, value: policy.customerTier }, { key: CrmPriority, value: input.priority },
    ],
  };
}

/** The ticket row as the workflow sees it after a transition (timestamps in epoch ms). */
export interface TicketRecord {
  id: string;
  workflowId: string;
  customerId: string;
  customerTier: CustomerTier;
  channel: Channel;
  category: Category;
  priority: Priority;
  subject: string;
  description: string;
  status: TicketState;
  tier: Tier;
  assigneeId: string | null;
  dispatchOpinion: string | null;
  resolution: string | null;
  satisfaction: number | null;
  breached: boolean;
  supervisorAttention: boolean;
  responseDueAt: number | null;
  resolutionDueAt: number | null;
  queueDueAt: number | null;
  sla: SlaTerms & { calendar: string | null };
  escalations: number;
  reopens: number;
  createdBy: string;
  createdAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  /**
   * The ticket's confirmation window, for the customer's portal links (they expire with it). Absent only
   * from a record whose activity was scheduled before the portal existed: that event issues no links.
   */
  confirmationWindowMs?: number;
  /** Fixed at intake; absent from records of tickets opened before entitlement and links existed. */
  entitlement?: Entitlement | null;
  relatedTo?: RelatedRecord | null;
  incidentId?: string | null;
  mergedInto?: string | null;
}

export interface TicketEventRecord {
  seq: number;
  action: string;
  actorId: string;
  fromStatus: TicketState | null;
  toStatus: TicketState;
  fromTier: Tier | null;
  toTier: Tier;
  note: string | null;
  internal: boolean;
  at: number;
  /** The articles a resolve event cites; absent on every other event. */
  articleIds?: string[];
}
