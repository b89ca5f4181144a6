import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Contact } from '../domain/inbound';
import type { Db } from './client';
import { allocateProcessNumber } from './numbers';
import { customerContacts, inboundMessages, notificationDeliveries, notificationOutbox, tickets, type InboundStatus } from './schema';

export type InboundRow = typeof inboundMessages.$inferSelect;
export type InboundFields = Omit<typeof inboundMessages.$inferInsert, 'id' | 'status' | 'reason' | 'customerId' | 'ticketId' | 'receivedAt' | 'processedAt' | 'processedBy'>;

/** Stores a message once per Message-ID; answers its id and whether this was its first arrival. */
export async function storeInbound(db: Db, message: InboundFields): Promise<{ id: number; fresh: boolean }> {
  const [inserted] = await db.insert(inboundMessages).values(message).onConflictDoNothing({ target: inboundMessages.messageId }).returning({ id: inboundMessages.id });
  if (inserted) return { id: inserted.id, fresh: true };
  const [existing] = await db.select({ id: inboundMessages.id }).from(inboundMessages).where(eq(inboundMessages.messageId, message.messageId));
  return { id: existing!.id, fresh: false };
}

export async function findInbound(db: Db, id: number): Promise<InboundRow | null> {
  const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.id, id));
  return row ?? null;
}

/** Messages still waiting for their workflow, received before `before` (the sweep's catch-up). */
export async function waitingInbound(db: Db, before: Date, limit: number): Promise<number[]> {
  const rows = await db.select({ id: inboundMessages.id }).from(inboundMessages)
    .where(and(eq(inboundMessages.status, 'received'), lt(inboundMessages.receivedAt, before))).orderBy(asc(inboundMessages.id)).limit(limit);
  return rows.map((row) => row.id);
}

/** The contacts whose address this is (case-insensitive), oldest first. */
export async function contactsByEmail(db: Db, email: string): Promise<Contact[]> {
  const rows = await db.select({ id: customerContacts.id, customerId: customerContacts.customerId, name: customerContacts.name, email: customerContacts.email })
    .from(customerContacts).where(sql`lower(${customerContacts.email}) = lower(${email})`).orderBy(asc(customerContacts.id));
  return rows.map((row) => ({ ...row, email: row.email! }));
}

/** The tickets our notifications with these delivery ids were about. */
export async function ticketsOfDeliveries(db: Db, deliveryIds: readonly number[]): Promise<string[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await db.selectDistinct({ id: notificationOutbox.resourceId }).from(notificationDeliveries)
    .innerJoin(notificationOutbox, eq(notificationOutbox.id, notificationDeliveries.notificationId))
    .where(and(inArray(notificationDeliveries.id, [...deliveryIds]), eq(notificationOutbox.resourceType, 'ticket')));
  return rows.map((row) => row.id);
}

export async function ticketFacts(db: Db, id: string): Promise<{ customerId: string; status: string } | null> {
  const [row] = await db.select({ customerId: tickets.customerId, status: tickets.status }).from(tickets).where(eq(tickets.id, id));
  return row ?? null;
}

/** The number of the ticket a message opens, allocated once per message, so a retry opens the same one. */
export async function ticketNumberFor(db: Db, id: number, prefix: string, year: number): Promise<string> {
  const [row] = await db.select({ ticketId: inboundMessages.ticketId }).from(inboundMessages).where(eq(inboundMessages.id, id));
  if (row?.ticketId) return row.ticketId;
  const number = await allocateProcessNumber(db, 'ticket', prefix, year);
  const [kept] = await db.update(inboundMessages).set({ ticketId: sql`coalesce(${inboundMessages.ticketId}, ${number})` })
    .where(eq(inboundMessages.id, id)).returning({ ticketId: inboundMessages.ticketId });
  return kept!.ticketId!;
}

/** Settles a message; only one still received (or, for an agent's decision, quarantined) changes. */
export async function settleInbound(
  db: Db, id: number, outcome: { status: Exclude<InboundStatus, 'received'>; reason?: string | null; customerId?: string | null; ticketId?: string | null; by: string },
  from: readonly InboundStatus[] = ['received'],
): Promise<InboundRow | null> {
  const [row] = await db.update(inboundMessages).set({
    status: outcome.status, reason: outcome.reason ?? null, processedAt: new Date(), processedBy: outcome.by,
    ...(outcome.customerId !== undefined ? { customerId: outcome.customerId } : {}),
    ...(outcome.ticketId !== undefined ? { ticketId: outcome.ticketId } : {}),
  }).where(and(eq(inboundMessages.id, id), inArray(inboundMessages.status, [...from]))).returning();
  return row ?? null;
}

export async function listInbound(db: Db, options: { status: InboundStatus | null; before: number | null; limit: number }): Promise<InboundRow[]> {
  return db.select().from(inboundMessages).where(and(
    options.status ? eq(inboundMessages.status, options.status) : undefined,
    options.before !== null ? lt(inboundMessages.id, options.before) : undefined,
  )).orderBy(desc(inboundMessages.id)).limit(options.limit);
}
