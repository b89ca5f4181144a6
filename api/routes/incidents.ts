import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { findProcess } from '../../db/processes';
import { incidents, tickets } from '../../db/schema';
import { INCIDENT_ACTIONS, INCIDENT_DECLARERS, incidentSummary } from '../../domain/incidents';
import { workflowIdFor } from '../../domain/ids';
import { INCIDENT_WORKFLOW, incidentOpened, incidentState, incidentUpdates, type IncidentInput } from '../../domain/processes/incident';
import { CrmKind, CrmStatus } from '../../domain/search-attributes';
import { OPEN_TICKET_STATES } from '../../domain/tickets';
import { audit } from '../audit';
import { newestFirst } from '../lists';
import { conflict, notFound, unprocessable } from '../problem';
import { openProcess, queryProcess, registerProcessActions, updateProcess } from '../process';
import { IdempotencyHeaders, IdParams, ListQuery, Page } from '../schemas/common';
import { AttachTicket, CreateIncident, IncidentActionBodies, IncidentDetail, IncidentRow, IncidentStatus, IncidentView } from '../schemas/incidents';
import { Category } from '../schemas/tickets';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function rowView(row: typeof incidents.$inferSelect) {
  return {
    id: row.id, status: row.status, summary: row.summary, category: row.category, region: row.region, ticketIds: row.ticketIds, resolution: row.resolution,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), resolvedAt: iso(row.resolvedAt),
  };
}

// Major incidents (issue 17 §5). The incident is a workflow of its own on the tickets' workers; it holds and
// resolves its tickets by signalling their workflows, so these routes only start it and send it decisions.
export const incidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/incidents', {
    config: { roles: INCIDENT_DECLARERS },
    schema: { tags: ['incidents'], summary: 'Declare a major incident', body: CreateIncident, headers: IdempotencyHeaders, response: { 201: IncidentView } },
  }, async (request, reply) => {
    const body = request.body;
    return openProcess(app, request, reply, {
      kind: 'incident', workflow: INCIDENT_WORKFLOW, opened: incidentOpened,
      input: (number): IncidentInput => ({ number, summary: body.summary, category: body.category ?? null, region: body.region ?? null, actor: request.actor }),
      summary: (number) => incidentSummary({ number, category: body.category ?? null }),
      details: 'Major incident',
      searchAttributes: [{ key: CrmKind, value: 'incident' }, { key: CrmStatus, value: 'open' }],
    });
  });

  app.get('/incidents', {
    config: { roles: 'authenticated' },
    schema: { tags: ['incidents'], querystring: ListQuery({ status: Type.Optional(IncidentStatus), category: Type.Optional(Category) }), response: { 200: Page(IncidentRow) } },
  }, async (request) => {
    const { status, category } = request.query;
    return newestFirst(app.db, incidents, request.query, [[incidents.status, status], [incidents.category, category]], rowView);
  });

  app.get('/incidents/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['incidents'], params: IdParams, response: { 200: IncidentDetail } },
  }, async (request) => {
    const [row] = await app.db.select().from(incidents).where(eq(incidents.id, request.params.id));
    if (!row) throw notFound('incident', request.params.id);
    return { ...rowView(row), live: await queryProcess(app.temporal, row.workflowId, incidentState, request.actor) };
  });

  app.post('/incidents/:id/tickets', {
    config: { roles: INCIDENT_ACTIONS.attach.roles },
    schema: {
      tags: ['incidents'], summary: "Attach a ticket: its resolution clock pauses (reason `major incident`) until the incident is resolved",
      params: IdParams, body: AttachTicket, response: { 200: IncidentView },
    },
  }, async (request) => {
    const { id } = request.params;
    const { ticketId } = request.body;
    const incident = await findProcess(app.db, 'incident', id);
    if (!incident) throw notFound('incident', id);
    const [ticket] = await app.db.select({ status: tickets.status, incidentId: tickets.incidentId }).from(tickets).where(eq(tickets.id, ticketId));
    if (!ticket) throw unprocessable(`ticket ${ticketId} does not exist`, { errors: [{ path: '/ticketId', message: 'unknown ticket' }] });
    if (ticket.incidentId && ticket.incidentId !== id) {
      throw unprocessable(`ticket ${ticketId} is attached to incident ${ticket.incidentId}`, { errors: [{ path: '/ticketId', message: `attached to ${ticket.incidentId}` }] });
    }
    if (!OPEN_TICKET_STATES.includes(ticket.status)) {
      throw conflict(`ticket ${ticketId} is ${ticket.status}; only an open ticket can be attached`, { state: ticket.status, allowedActions: [] });
    }
    const view = await updateProcess(app, {
      workflowId: incident.workflowId, update: incidentUpdates.attach, args: [{ ticketId, actor: request.actor }],
      finalState: async () => (await findProcess(app.db, 'incident', id))?.status ?? null,
      // A repeated attachment is the same one.
      updateId: `attach-${ticketId}`,
    });
    await audit(app.db, request.actor, 'incident.attach', 'incident', id, { ticketId, workflowId: workflowIdFor('ticket', ticketId) });
    return view;
  });

  await app.register(registerProcessActions({
    kind: 'incident', actions: ['resolve'] as const, rules: INCIDENT_ACTIONS, bodies: IncidentActionBodies, response: IncidentView, updates: incidentUpdates,
  }));
};
