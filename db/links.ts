import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { RelatedRecord, RelatedType, TicketState } from '../domain/tickets';
import type { Db } from './client';
import { contracts, invoices, orders, tickets } from './schema';

const OWNED = { order: orders, invoice: invoices, contract: contracts } as const;

/** The customer a ticket's related record belongs to, or null when there is no such record. */
export async function ownerOf(db: Db, record: RelatedRecord): Promise<string | null> {
  const table = OWNED[record.type];
  const [row] = await db.select({ customerId: table.customerId }).from(table).where(eq(table.id, record.id));
  return row?.customerId ?? null;
}

export interface LinkedTicket {
  id: string;
  status: TicketState;
  subject: string;
  relatedTo: RelatedRecord;
  createdAt: string;
}

const LINKED_LIMIT = 200;

const linkedView = (row: typeof tickets.$inferSelect): LinkedTicket => ({
  id: row.id, status: row.status, subject: row.subject, relatedTo: { type: row.relatedType!, id: row.relatedId! }, createdAt: row.createdAt.toISOString(),
});

/** The tickets naming one record, newest first (through tickets_related_idx). */
export async function ticketsLinkedTo(db: Db, type: RelatedType, id: string): Promise<LinkedTicket[]> {
  const rows = await db.select().from(tickets).where(and(eq(tickets.relatedType, type), eq(tickets.relatedId, id)))
    .orderBy(desc(tickets.createdAt)).limit(LINKED_LIMIT);
  return rows.map(linkedView);
}

/** A customer's tickets that name one of its records, newest first: the cockpit's links. */
export async function linkedTicketsOfCustomer(db: Db, customerId: string): Promise<LinkedTicket[]> {
  const rows = await db.select().from(tickets).where(and(eq(tickets.customerId, customerId), isNotNull(tickets.relatedId)))
    .orderBy(desc(tickets.createdAt)).limit(LINKED_LIMIT);
  return rows.map(linkedView);
}
