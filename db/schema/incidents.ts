import { index, integer, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { IncidentState } from '../../domain/incidents';
import type { Category } from '../../domain/tickets';

export const incidentSeq = pgSequence('incident_seq');

// A major incident's row mirrors its workflow (`last_seq` keeps late writes from going back); each
// attached ticket also names the incident on its own row (tickets.incident_id).
export const incidents = pgTable('incidents', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull().unique(),
  summary: text('summary').notNull(),
  category: text('category').$type<Category>(),
  region: text('region'),
  status: text('status').$type<IncidentState>().notNull(),
  ticketIds: text('ticket_ids').array().notNull(),
  resolution: text('resolution'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  lastSeq: integer('last_seq').notNull(),
}, (t) => [
  index('incidents_status_idx').on(t.status, t.createdAt, t.id),
  index('incidents_created_idx').on(t.createdAt, t.id),
]);
