import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export type InboundStatus = 'received' | 'processed' | 'quarantined' | 'discarded';

// Every message the inbound SMTP listener accepted, stored before it answered 250: the raw RFC 5322
// source and the headers routing reads. message_id makes a redelivered message a no-op. The inbound
// workflow moves it from `received` to `processed` (a reply or a new ticket) or `quarantined`, where an
// agent attaches it to a customer or discards it.
export const inboundMessages = pgTable('inbound_messages', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  messageId: text('message_id').notNull().unique(),
  fromAddress: text('from_address').notNull(),
  fromName: text('from_name'),
  toAddresses: text('to_addresses').array().notNull(),
  subject: text('subject').notNull(),
  /** The Message-IDs of In-Reply-To and References, in that order. */
  refersTo: text('refers_to').array().notNull(),
  headers: jsonb('headers').notNull().$type<Record<string, string>>(),
  /** The new text of the message: the plain body with the quoted history cut off. */
  text: text('text').notNull(),
  raw: bytea('raw').notNull(),
  size: integer('size').notNull(),
  status: text('status').notNull().$type<InboundStatus>().default('received'),
  reason: text('reason'),
  customerId: text('customer_id'),
  ticketId: text('ticket_id'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp('processed_at', { withTimezone: true }),
  processedBy: text('processed_by'),
}, (t) => [
  index('inbound_messages_status_idx').on(t.status, t.id),
  index('inbound_messages_waiting_idx').on(t.receivedAt).where(sql`${t.status} = 'received'`),
]);
