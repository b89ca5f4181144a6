import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSequence, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import type { Entitlement } from '../../domain/entitlement';
import type { Category, Channel, RelatedType, TicketState, Tier } from '../../domain/tickets';
import type { CustomerTier, Priority } from '../../domain/sla';
import { customers } from './customers';
import { tsvector } from './search';

export const ticketSeq = pgSequence('ticket_seq');

// The ticket row mirrors the workflow's state after each transition; `last_seq` lets a late or retried
// write recognise that a newer state is already stored.
export const tickets = pgTable('tickets', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull().unique(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  customerTier: text('customer_tier').$type<CustomerTier>().notNull(),
  channel: text('channel').$type<Channel>().notNull(),
  category: text('category').$type<Category>().notNull(),
  priority: text('priority').$type<Priority>().notNull(),
  subject: text('subject').notNull(),
  description: text('description').notNull(),
  status: text('status').$type<TicketState>().notNull(),
  tier: text('tier').$type<Tier>().notNull(),
  assigneeId: text('assignee_id'),
  dispatchOpinion: text('dispatch_opinion'),
  resolution: text('resolution'),
  satisfaction: smallint('satisfaction'),
  breached: boolean('breached').notNull().default(false),
  supervisorAttention: boolean('supervisor_attention').notNull().default(false),
  responseDueAt: timestamp('response_due_at', { withTimezone: true }),
  resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
  queueDueAt: timestamp('queue_due_at', { withTimezone: true }),
  sla: jsonb('sla').notNull(),
  escalations: integer('escalations').notNull().default(0),
  reopens: integer('reopens').notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  lastSeq: integer('last_seq').notNull(),
  /** The entitlement verdict at intake (issue 17 §4); null for tickets opened before it. */
  entitlement: jsonb('entitlement').$type<Entitlement>(),
  /** The customer's order, invoice or contract the ticket names; the record's own page lists it back. */
  relatedType: text('related_type').$type<RelatedType>(),
  relatedId: text('related_id'),
  incidentId: text('incident_id'),
  mergedInto: text('merged_into'),
  /**
   * GET /tickets?q=: subject (weight A), description (B) and every note of the timeline (C), appended by
   * the repository as each event is first recorded (db/search.ts).
   */
  search: tsvector('search').notNull().default(sql`''::tsvector`),
}, (t) => [
  index('tickets_related_idx').on(t.relatedType, t.relatedId).where(sql`${t.relatedId} is not null`),
  // GET /tickets?incidentId=: a major incident's tickets, newest first.
  index('tickets_incident_idx').on(t.incidentId, t.createdAt, t.id).where(sql`${t.incidentId} is not null`),
  index('tickets_status_idx').on(t.status, t.id),
  index('tickets_tier_status_due_idx').on(t.tier, t.status, t.queueDueAt),
  // Lists filter by assignee or customer and read newest first: the sort key follows the filter column, so
  // the first page is read in order, however few of the rows match (GET /tickets, bench figure 4).
  index('tickets_assignee_idx').on(t.assigneeId, t.createdAt, t.id),
  index('tickets_breached_idx').on(t.breached, t.id).where(sql`${t.breached}`),
  index('tickets_customer_idx').on(t.customerId, t.createdAt, t.id),
  index('tickets_created_idx').on(t.createdAt),
  index('tickets_search_idx').using('gin', t.search),
]);

export const ticketEvents = pgTable('ticket_events', {
  ticketId: text('ticket_id').notNull().references(() => tickets.id),
  seq: integer('seq').notNull(),
  action: text('action').notNull(),
  actorId: text('actor_id').notNull(),
  fromStatus: text('from_status').$type<TicketState>(),
  toStatus: text('to_status').$type<TicketState>().notNull(),
  fromTier: text('from_tier').$type<Tier>(),
  toTier: text('to_tier').$type<Tier>().notNull(),
  note: text('note'),
  internal: boolean('internal').notNull().default(false),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.ticketId, t.seq] }),
  index('ticket_events_action_idx').on(t.action, t.at),
  // GET /tickets?escalatedBy=: the tickets one person escalated (an agent's "my escalations").
  index('ticket_events_escalated_by_idx').on(t.actorId, t.ticketId).where(sql`${t.action} = 'escalate'`),
]);
