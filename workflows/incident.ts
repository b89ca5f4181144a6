import { allHandlersFinished, condition, getExternalWorkflowHandle, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { workflowIdFor } from '../domain/ids';
import { attachTicket, incidentActions, incidentRefusal, newIncident, resolveIncident, type IncidentAction, type IncidentProcess } from '../domain/incidents';
import type { WithActor } from '../domain/processes/common';
import {
  incidentOpened, incidentState, incidentTicketAttached, incidentUpdates, type IncidentInput, type IncidentRecord, type IncidentView,
} from '../domain/processes/incident';
import { ticketIncidentAttached, ticketIncidentResolved } from '../domain/processes/ticket';
import type { Actor } from '../domain/roles';
import { CrmKind, CrmStatus } from '../domain/search-attributes';
import { createWriteQueue, processActivities, processEngine, refuse } from './common';

const activitiesOf = processActivities([]);

/**
 * A major incident (issue 17 §5): holds the resolution clocks of the tickets attached to it while it is
 * open, and resolving it resolves each of them. It reaches its tickets only by signals from this
 * workflow, which are commands in its history: a worker dying half-way through a resolution carries on
 * where it stopped, and no ticket hears twice.
 */
export async function incidentWorkflow(input: IncidentInput): Promise<IncidentView> {
  const engine = processEngine();
  const { recordIncident } = activitiesOf(engine);
  const workflowId = workflowInfo().workflowId;
  const enqueue = createWriteQueue();
  const createdAt = Date.now();
  let incident: IncidentProcess = newIncident();
  let seq = 0;
  let opened = false;

  const view = (actor?: Actor): IncidentView => ({
    id: input.number, status: incident.status, summary: input.summary, category: input.category, region: input.region, ticketIds: incident.tickets,
    resolution: incident.resolution, resolvedAt: incident.resolvedAt === null ? null : new Date(incident.resolvedAt).toISOString(),
    allowedActions: actor ? incidentActions({ state: incident.status }, actor) : [],
  });

  async function change(update: (i: IncidentProcess) => IncidentProcess): Promise<void> {
    incident = update(incident);
    engine.show([{ key: CrmStatus, value: incident.status }]);
    setCurrentDetails(`**${incident.status}** · ${incident.tickets.length} ticket(s) attached`);
    const record: IncidentRecord = {
      id: input.number, workflowId, summary: input.summary, category: input.category, region: input.region, status: incident.status,
      ticketIds: incident.tickets, resolution: incident.resolution, createdBy: input.actor.id, createdAt, resolvedAt: incident.resolvedAt, seq: seq++,
    };
    await enqueue(() => recordIncident({ incident: record }));
    opened = true;
  }

  const guard = (action: IncidentAction) => (args: WithActor) => refuse(incidentRefusal({ state: incident.status }, action, args.actor));

  /** A ticket that has ended has nothing left to hold or resolve: its signal finding no workflow is no error. */
  async function tell(ticketId: string, send: (handle: ReturnType<typeof getExternalWorkflowHandle>) => Promise<void>): Promise<void> {
    try {
      await send(getExternalWorkflowHandle(workflowIdFor('ticket', ticketId)));
    } catch {
      // The ticket's workflow has finished (closed, cancelled, merged).
    }
  }

  const resolution = (actor: Actor) => ({ incidentId: input.number, resolution: incident.resolution!, actor });

  setHandler(incidentUpdates.attach, async ({ actor, ticketId }) => {
    if (!incident.tickets.includes(ticketId)) {
      await change((i) => attachTicket(i, ticketId));
      await tell(ticketId, (h) => h.signal(ticketIncidentAttached, { incidentId: input.number, actor }));
    }
    return view(actor);
  }, { validator: guard('attach') });

  setHandler(incidentUpdates.resolve, async ({ actor, resolution: text }) => {
    await change((i) => resolveIncident(i, text, Date.now()));
    // Every ticket hears at once (one workflow task's commands), in the order they were attached.
    await Promise.all(incident.tickets.map((ticketId) => tell(ticketId, (h) => h.signal(ticketIncidentResolved, resolution(actor)))));
    return view(actor);
  }, { validator: guard('resolve') });

  // A ticket opened with `incidentId` attaches itself; arriving after the resolution, it is resolved at once.
  setHandler(incidentTicketAttached, async ({ ticketId }) => {
    await condition(() => opened);
    if (incident.tickets.includes(ticketId)) return;
    await change((i) => attachTicket(i, ticketId));
    if (incident.status === 'resolved') await tell(ticketId, (h) => h.signal(ticketIncidentResolved, resolution(input.actor)));
  });

  setHandler(incidentOpened, async () => {
    await condition(() => opened);
    return view(input.actor);
  });
  setHandler(incidentState, (actor) => view(actor));

  engine.show([{ key: CrmKind, value: 'incident' }]);
  await change((i) => i);
  await condition(() => incident.status === 'resolved');
  await condition(allHandlersFinished);
  await enqueue(async () => undefined);
  engine.flush();
  return view();
}
