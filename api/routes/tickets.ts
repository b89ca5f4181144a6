import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, inArray, sql, type AnyColumn } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { Refusal } from '../../db/refusal';
import { findEntitlement } from '../../db/entitlement';
import { ownerOf } from '../../db/links';
import { findProcess } from '../../db/processes';
import { ticketCitations, unpublishedAmong } from '../../db/articles';
import { matches, typedQuery } from '../../db/search';
import { loadTicketPolicy } from '../../db/tickets';
import { userNames } from '../../db/users';
import { ticketEvents, tickets, users } from '../../db/schema';
import { FINAL_TICKET_STATES, QUEUE_STATES, queueTierOf, TICKET_ACTIONS, TICKET_ACTION_NAMES, TIER_ROLE, type RelatedRecord, type Tier as TierName } from '../../domain/tickets';
import { TICKET_WORKFLOW, ticketOpened, ticketStart, ticketState, ticketUpdates, type TicketInput } from '../../domain/processes/ticket';
import { SLA_CLOCK } from '../../domain/processes/ticket-state';
import { USER_ADMINISTRATION } from '../../domain/users';
import { actorNamer } from '../actors';
import { newestFirst } from '../lists';
import { afterCursor, toPage } from '../pagination';
import { notFound, unprocessable } from '../problem';
import { openProcess, queryProcess, registerProcessActions } from '../process';
import { IdempotencyHeaders, IdParams, ListQuery, Page, Text } from '../schemas/common';
import { CreateTicket, Priority, TicketActionBodies, TicketDetail, TicketRow, TicketStatus, TicketView, Tier } from '../schemas/tickets';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function rowView(row: typeof tickets.$inferSelect) {
  return {
    id: row.id, status: row.status, tier: row.tier, customerId: row.customerId, customerTier: row.customerTier, channel: row.channel,
    category: row.category, priority: row.priority, subject: row.subject, assigneeId: row.assigneeId, breached: row.breached,
    supervisorAttention: row.supervisorAttention, responseDueAt: iso(row.responseDueAt), resolutionDueAt: iso(row.resolutionDueAt),
    nextDueAt: iso(row.queueDueAt), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** Rows with their assignee's name, one query per page. */
async function withAssigneeNames<Row extends { assigneeId: string | null }>(db: Db, page: { items: Row[]; nextCursor: string | null }) {
  const names = await userNames(db, page.items.flatMap((t) => (t.assigneeId ? [t.assigneeId] : [])));
  return { ...page, items: page.items.map((t) => ({ ...t, assigneeName: t.assigneeId ? (names.get(t.assigneeId) ?? t.assigneeId) : null })) };
}

export const ticketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/tickets', {
    config: { roles: ['agent', 'supervisor'] },
    schema: {
      tags: ['tickets'], summary: 'Register a complaint (L1 intake)', body: CreateTicket,
      headers: IdempotencyHeaders,
      response: { 201: TicketView },
    },
  }, async (request, reply) => {
    const body = request.body;
    // The ticket's terms (SLA, calendar, confirmation window) are fixed at intake; resolved here, they
    // travel in the workflow's input and the ticket opens without an activity of its own.
    const policy = await loadTicketPolicy(app.db, { customerId: body.customerId, priority: body.priority, category: body.category }).catch((error: unknown) => {
      if (error instanceof Refusal) throw unprocessable(`customer ${body.customerId} does not exist`, { errors: [{ path: '/customerId', message: 'unknown customer' }] });
      throw error;
    });
    await checkLinks(body);
    // Without entitlement the call is still taken: the verdict is kept on the ticket for the agent to see.
    const entitlement = await findEntitlement(app.db, { customerId: body.customerId, category: body.category, at: Date.now() });
    return openProcess(app, request, reply, {
      kind: 'ticket', workflow: TICKET_WORKFLOW, opened: ticketOpened,
      input: (number): TicketInput => ({ number, ...body, actor: request.actor, policy, entitlement }),
      ...ticketStart(body, policy),
    });
  });

  app.get('/tickets', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['tickets'],
      querystring: ListQuery({
        status: Type.Optional(TicketStatus), tier: Type.Optional(Tier), assignee: Type.Optional(Type.String({ maxLength: 64 })),
        breached: Type.Optional(Type.Boolean()), customerId: Type.Optional(Type.String({ maxLength: 64 })), priority: Type.Optional(Priority),
        incidentId: Type.Optional(Type.String({ maxLength: 64, description: "a major incident's tickets" })),
        escalatedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'tickets this user escalated (`me`: the caller), e.g. an agent\'s own escalations' })),
        q: Type.Optional(Text(500, 'words in the subject, description or any note (full text, GIN index); "a phrase", `or`, `-word` as in a web search')),
      }),
      response: { 200: Page(TicketRow) },
    },
  }, async (request) => {
    const { status, tier, assignee, breached, customerId, priority, escalatedBy, incidentId, q } = request.query;
    // Through the partial index ticket_events_escalated_by_idx: the few tickets one person escalated.
    const escalator = escalatedBy === 'me' ? request.actor.id : escalatedBy;
    const escalated = escalator === undefined ? undefined : inArray(tickets.id, app.db.select({ id: ticketEvents.ticketId }).from(ticketEvents)
      .where(and(eq(ticketEvents.action, 'escalate'), eq(ticketEvents.actorId, escalator))));
    // Full text: on the newest rows first, else through tickets_search_idx (GIN; see newestFirst); the list stays
    // newest first, so its pages keep their keyset cursor.
    const found = q === undefined ? undefined : (row: Record<string, AnyColumn>) => matches(row.search!, typedQuery(q));
    return withAssigneeNames(app.db, await newestFirst(app.db, tickets, request.query, [
      [tickets.status, status], [tickets.tier, tier], [tickets.assigneeId, assignee], [tickets.breached, breached],
      [tickets.customerId, customerId], [tickets.priority, priority], [tickets.incidentId, incidentId],
    ], rowView, escalated, found));
  });

  app.get('/tickets/queue', {
    config: { roles: ['support_l2', 'support_l3', 'supervisor'] },
    schema: {
      tags: ['tickets'], summary: "A tier's open tickets, the nearest deadline first",
      querystring: ListQuery({ tier: Type.Optional(Type.Union([Type.Literal('L2'), Type.Literal('L3')])), status: Type.Optional(TicketStatus), priority: Type.Optional(Priority) }),
      response: { 200: Page(TicketRow) },
    },
  }, async (request) => {
    const { limit = 50, cursor, status, priority } = request.query;
    const tier = request.query.tier ?? queueTierOf(request.actor.roles) ?? 'L2';
    // Tickets without a running deadline (paused) sort last.
    const due = sql<Date>`coalesce(${tickets.queueDueAt}, 'infinity'::timestamptz)`;
    const rows = await app.db.select().from(tickets).where(and(
      eq(tickets.tier, tier),
      inArray(tickets.status, status ? [status] : QUEUE_STATES[tier]),
      priority ? eq(tickets.priority, priority) : undefined,
      afterCursor([due, tickets.id], cursor),
    )).orderBy(asc(due), asc(tickets.id)).limit(limit + 1);
    return withAssigneeNames(app.db, toPage(rows, limit, (row) => [row.queueDueAt?.toISOString() ?? 'infinity', row.id], rowView));
  });

  app.get('/tickets/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['tickets'], params: IdParams, response: { 200: TicketDetail } },
  }, async (request) => {
    const [row] = await app.db.select().from(tickets).where(eq(tickets.id, request.params.id));
    if (!row) throw notFound('ticket', request.params.id);
    const [events, live, citedArticles] = await Promise.all([
      app.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, row.id)).orderBy(asc(ticketEvents.seq)),
      queryProcess(app.temporal, row.workflowId, ticketState, request.actor),
      ticketCitations(app.db, row.id),
    ]);
    const nameOf = await actorNamer(app.db, [row.assigneeId, ...events.map((e) => e.actorId)], [SLA_CLOCK, USER_ADMINISTRATION]);
    return {
      ...rowView(row), assigneeName: row.assigneeId ? nameOf(row.assigneeId) : null, description: row.description, dispatchOpinion: row.dispatchOpinion, resolution: row.resolution,
      satisfaction: row.satisfaction, escalations: row.escalations, reopens: row.reopens, sla: row.sla, live, citedArticles,
      entitlement: row.entitlement, relatedTo: row.relatedType && row.relatedId ? { type: row.relatedType, id: row.relatedId } : null,
      incidentId: row.incidentId, mergedInto: row.mergedInto,
      timeline: events.map((e) => ({ seq: e.seq, action: e.action, actorId: e.actorId, actorName: nameOf(e.actorId), fromStatus: e.fromStatus, toStatus: e.toStatus, fromTier: e.fromTier, toTier: e.toTier, note: e.note, internal: e.internal, at: e.at.toISOString() })),
    };
  });

  await app.register(registerProcessActions({
    kind: 'ticket', actions: TICKET_ACTION_NAMES, rules: TICKET_ACTIONS, bodies: TicketActionBodies, response: TicketView, updates: ticketUpdates,
    check: async (action, body, _actor, id) => {
      if (action === 'reassign' && typeof body.assigneeId === 'string') await checkAssignee(body.assigneeId, body.tier as TierName);
      if (action === 'merge') await checkMergeTarget(id, body.into as string);
      if (action === 'resolve' && Array.isArray(body.articleIds)) await checkCitations(body.articleIds as string[]);
    },
  }));

  /** A named record must be the same customer's; a named incident must exist and be open. Refused as 422, nothing started. */
  async function checkLinks(body: { customerId: string; relatedTo?: RelatedRecord; incidentId?: string }) {
    if (body.relatedTo) {
      const { type, id } = body.relatedTo;
      const owner = await ownerOf(app.db, body.relatedTo);
      if (owner === null) throw unprocessable(`${type} ${id} does not exist`, { errors: [{ path: '/relatedTo/id', message: `unknown ${type}` }] });
      if (owner !== body.customerId) {
        throw unprocessable(`${type} ${id} belongs to another customer`, { errors: [{ path: '/relatedTo/id', message: `the ${type} of another customer than ${body.customerId}` }] });
      }
    }
    if (body.incidentId) {
      const incident = await findProcess(app.db, 'incident', body.incidentId);
      if (!incident) throw unprocessable(`incident ${body.incidentId} does not exist`, { errors: [{ path: '/incidentId', message: 'unknown incident' }] });
      if (incident.status !== 'open') throw unprocessable(`incident ${body.incidentId} is ${incident.status}`, { errors: [{ path: '/incidentId', message: 'not open' }] });
    }
  }

  /**
   * Duplicates are the same customer's (Zammad and Jira merge within one requester's issues); the ticket
   * carrying on must still be open to take the notes. The merged ticket's own state is its workflow's to judge (409).
   */
  async function checkMergeTarget(id: string, into: string) {
    const [source] = await app.db.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, id));
    const [target] = await app.db.select({ customerId: tickets.customerId, status: tickets.status }).from(tickets).where(eq(tickets.id, into));
    if (!target) throw unprocessable(`ticket ${into} does not exist`, { errors: [{ path: '/into', message: 'unknown ticket' }] });
    if (into === id) throw unprocessable('a ticket cannot be merged into itself', { errors: [{ path: '/into', message: 'the same ticket' }] });
    if (source && target.customerId !== source.customerId) {
      throw unprocessable(`ticket ${into} is another customer's`, { errors: [{ path: '/into', message: `not a ticket of customer ${source.customerId}` }] });
    }
    if (FINAL_TICKET_STATES.includes(target.status)) {
      throw unprocessable(`ticket ${into} is ${target.status}; merge into an open ticket`, { errors: [{ path: '/into', message: `ticket is ${target.status}` }] });
    }
  }

  /** A resolution cites only what the support tiers can read: published articles. */
  async function checkCitations(articleIds: string[]) {
    const unpublished = await unpublishedAmong(app.db, articleIds);
    if (unpublished.length > 0) {
      throw unprocessable(`a resolution can cite published articles only; not published: ${unpublished.join(', ')}`, {
        errors: unpublished.map((id) => ({ path: `/articleIds/${articleIds.indexOf(id)}`, message: `${id} is not a published article` })),
      });
    }
  }

  async function checkAssignee(userId: string, tier: TierName) {
    const role = TIER_ROLE[tier];
    const [user] = await app.db.select({ id: users.id, name: users.name, roles: users.roles }).from(users).where(eq(users.id, userId));
    if (!user) throw unprocessable(`user ${userId} does not exist`, { errors: [{ path: '/assigneeId', message: `unknown user ${userId}` }] });
    if (!user.roles.includes(role)) {
      throw unprocessable(`${user.name} (${userId}) cannot work ${tier} tickets (needs the ${role} role)`, { errors: [{ path: '/assigneeId', message: `not a ${role} user` }] });
    }
  }
};
