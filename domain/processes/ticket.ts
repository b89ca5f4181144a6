import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BusinessCalendar } from '../calendar';
import type { Actor } from '../roles';
import type { CustomerTier, Priority, SlaTerms } from '../sla';
import { CrmCustomerId, CrmCustomerTier, CrmKind, CrmPriority, CrmStatus, CrmTier } from '../search-attributes';
import { TICKET_ACTION_NAMES, ticketSummary, type Category, type Channel, type TicketAction, type TicketState, type Tier } from '../tickets';
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
  sla: {
    responseDueAt: string | null;
    resolutionDueAt: string | null;
    confirmationDueAt: string | null;
    /** While the ticket waits for the customer: when the wait ends (ticket.pendingCustomerTimeout). */
    customerAnswerDueAt: string | null;
    resolutionPaused: boolean;
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
  release: object;
  notes: { text: string; internal?: boolean };
  'request-info': { question: string };
  'customer-reply': { text: string };
  resolve: { resolution: string };
  confirm: { satisfaction: number; comment?: string };
  reject: { reason: string };
  cancel: { reason: string };
  reassign: { tier: Tier; assigneeId?: string };
}

// Human decisions are Updates: the validator refuses early (409/403), the handler returns the new state.
export const ticketUpdates = defineActionUpdates<TicketView, TicketActionArgs>(TICKET_ACTION_NAMES);

/** Answers once intake is recorded; used with update-with-start so POST /tickets returns the SLA. */
export const ticketOpened = defineUpdate<TicketView>('opened');
export const ticketState = defineQuery<TicketView, [Actor?]>('state');

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
}
