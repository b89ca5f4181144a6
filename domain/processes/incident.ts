import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IncidentAction, IncidentState } from '../incidents';
import type { Actor } from '../roles';
import type { Category } from '../tickets';
import { defineActionUpdates } from './common';

// The major incident's messages and shapes, shared by its workflow, its activities and the API. Names
// are part of every running incident's history and must not change.

export const INCIDENT_WORKFLOW = 'incidentWorkflow';

export interface IncidentInput {
  number: string;
  summary: string;
  category: Category | null;
  region: string | null;
  actor: Actor;
}

export interface IncidentView {
  id: string;
  status: IncidentState;
  summary: string;
  category: Category | null;
  region: string | null;
  ticketIds: string[];
  resolution: string | null;
  resolvedAt: string | null;
  allowedActions: IncidentAction[];
}

export interface IncidentActionArgs extends Record<IncidentAction, object> {
  attach: { ticketId: string };
  resolve: { resolution: string };
}

export const incidentUpdates = defineActionUpdates<IncidentView, IncidentActionArgs>(['attach', 'resolve']);
export const incidentOpened = defineUpdate<IncidentView>('opened');
export const incidentState = defineQuery<IncidentView, [Actor?]>('state');
/** A ticket opened with `incidentId` attaches itself (its workflow signals; the API need not do a second step). */
export const incidentTicketAttached = defineSignal<[{ ticketId: string }]>('ticketAttached');

/** The incident row after a change (timestamps in epoch ms); `seq` keeps a late write from going back. */
export interface IncidentRecord {
  id: string;
  workflowId: string;
  summary: string;
  category: Category | null;
  region: string | null;
  status: IncidentState;
  ticketIds: string[];
  resolution: string | null;
  createdBy: string;
  createdAt: number;
  resolvedAt: number | null;
  seq: number;
}
