import { bigint, bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { inboundMessages } from './inbound';
import { tickets } from './tickets';

// Files on a ticket: sent with an inbound message or uploaded by staff. The bytes live outside Temporal
// payloads and PostgreSQL, under CRM_DATA_DIR/attachments named by their SHA-256 (the same file twice is
// stored once); this row is what the ticket lists and who may download it is decided by the ticket.
export const attachments = pgTable('attachments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  ticketId: text('ticket_id').notNull().references(() => tickets.id),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  /** The message it came with, and its place there, so a retried routing attaches it once. */
  inboundId: bigint('inbound_id', { mode: 'number' }).references(() => inboundMessages.id),
  part: integer('part'),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('attachments_ticket_idx').on(t.ticketId, t.id), uniqueIndex('attachments_inbound_part_idx').on(t.inboundId, t.part)]);
