import { Type, type Static } from '@sinclair/typebox';
import { INCIDENT_ACTION_NAMES, INCIDENT_STATES } from '../../domain/incidents';
import type { IncidentView as WorkflowIncidentView } from '../../domain/processes/incident';
import { Literals, Nullable, Obj, Text, type SameShape } from './common';
import { Category } from './tickets';

export const IncidentStatus = Literals(INCIDENT_STATES);

export const CreateIncident = Obj({
  summary: Text(500, 'what is broken, as the agents will read it'),
  category: Type.Optional(Category),
  region: Type.Optional(Text(100, 'the affected area, e.g. a city or network region')),
});

/** What the incident's workflow and its row both know. */
const incidentFacts = {
  id: Type.String(),
  status: IncidentStatus,
  summary: Type.String(),
  category: Nullable(Category),
  region: Nullable(Type.String()),
  ticketIds: Type.Array(Type.String()),
  resolution: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
};

export const IncidentView = Type.Object({ ...incidentFacts, allowedActions: Type.Array(Literals(INCIDENT_ACTION_NAMES)) });
const _sameShape: SameShape<Static<typeof IncidentView>, WorkflowIncidentView> = true;

export const IncidentRow = Type.Object({ ...incidentFacts, createdBy: Type.String(), createdAt: Type.String() });

export const IncidentDetail = Type.Composite([IncidentRow, Type.Object({ live: Nullable(IncidentView) })]);

export const AttachTicket = Obj({ ticketId: Type.String({ minLength: 1, maxLength: 64 }) });
export const IncidentActionBodies = {
  resolve: Obj({ resolution: Text(10_000, 'sent to every attached ticket as its resolution; each customer is told and confirms as usual') }),
};
