import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { customerContacts, customerCreditLimitRequests, customerPrices, customers } from './schema';

export type CustomerFields = Pick<typeof customers.$inferInsert, 'name' | 'kind' | 'tier' | 'region' | 'language' | 'creditLimit'>;
export interface ContactFields {
  name: string;
  phone?: string;
  email?: string;
}

/** The customer's id and tier, or null for an unknown id (the doors that start a process check this). */
export async function findCustomer(db: Db | Tx, id: string): Promise<{ id: string; tier: typeof customers.$inferSelect.tier } | null> {
  const [row] = await db.select({ id: customers.id, tier: customers.tier }).from(customers).where(eq(customers.id, id));
  return row ?? null;
}

/** A new customer id (CUS-NNNNNN), taken before the customer is written so an idempotent retry reuses it. */
export async function allocateCustomerId(db: Db): Promise<string> {
  const [row] = (await db.execute(sql`select 'CUS-' || lpad(nextval('customer_seq')::text, 6, '0') as id`)) as unknown as [{ id: string }];
  return row.id;
}

export async function createCustomer(tx: Tx, id: string, fields: CustomerFields, contacts: ContactFields[], createdBy: string): Promise<void> {
  await tx.insert(customers).values({ id, ...fields, createdBy });
  if (contacts.length > 0) await tx.insert(customerContacts).values(contacts.map((c) => ({ customerId: id, ...c })));
}

/**
 * Changes the given fields; contacts, when given, replace the list. A contact that stays (the same e-mail
 * address, or the same name where neither has one) keeps its id, so the portal links mailed to it and its
 * name in the timelines stay its own; a contact left out is removed, and its links with it.
 */
export async function updateCustomer(tx: Tx, id: string, fields: Partial<CustomerFields>, contacts?: ContactFields[]): Promise<void> {
  if (Object.keys(fields).length > 0) await tx.update(customers).set(fields).where(eq(customers.id, id));
  if (!contacts) return;
  const sameContact = (c: { name: string; email?: string | null }) => (c.email ? `email ${c.email.toLowerCase()}` : `name ${c.name}`);
  const unclaimed = await tx.select().from(customerContacts).where(eq(customerContacts.customerId, id)).orderBy(asc(customerContacts.id));
  for (const contact of contacts) {
    const at = unclaimed.findIndex((row) => sameContact(row) === sameContact(contact));
    if (at < 0) {
      await tx.insert(customerContacts).values({ customerId: id, ...contact });
      continue;
    }
    const [kept] = unclaimed.splice(at, 1);
    await tx.update(customerContacts).set({ name: contact.name, phone: contact.phone ?? null, email: contact.email ?? null }).where(eq(customerContacts.id, kept!.id));
  }
  if (unclaimed.length > 0) await tx.delete(customerContacts).where(inArray(customerContacts.id, unclaimed.map((row) => row.id)));
}

/** The customer's own unit price for a product; it wins over the list price. */
export async function setCustomerPrice(db: Db | Tx, input: { customerId: string; sku: string; unitPrice: string; updatedBy: string }) {
  const [row] = await db.insert(customerPrices).values(input)
    .onConflictDoUpdate({ target: [customerPrices.customerId, customerPrices.sku], set: { unitPrice: input.unitPrice, updatedBy: input.updatedBy, updatedAt: new Date() } })
    .returning();
  return row!;
}

export type CreditLimitRequestRow = typeof customerCreditLimitRequests.$inferSelect;

/** The customer's credit limit, its row locked until the transaction ends (a limit changes one at a time). */
export async function lockCreditLimit(tx: Tx, id: string): Promise<string | null> {
  const [row] = await tx.select({ creditLimit: customers.creditLimit }).from(customers).where(eq(customers.id, id)).for('update');
  return row?.creditLimit ?? null;
}

/** A raise above the self-service limit, waiting for a second finance user. */
export async function openCreditLimitRequest(
  tx: Tx, input: { customerId: string; fromLimit: string; toLimit: string; reason: string; requestedBy: string },
): Promise<CreditLimitRequestRow> {
  const [row] = await tx.insert(customerCreditLimitRequests).values(input).returning();
  return row!;
}

export async function findCreditLimitRequest(db: Db | Tx, customerId: string, requestId: number, lock = false): Promise<CreditLimitRequestRow | null> {
  const query = db.select().from(customerCreditLimitRequests)
    .where(and(eq(customerCreditLimitRequests.id, requestId), eq(customerCreditLimitRequests.customerId, customerId)));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function listCreditLimitRequests(db: Db, customerId: string): Promise<CreditLimitRequestRow[]> {
  return db.select().from(customerCreditLimitRequests).where(eq(customerCreditLimitRequests.customerId, customerId)).orderBy(desc(customerCreditLimitRequests.id));
}

/** Closes a pending request; an approval puts its limit in force in the same transaction. */
export async function decideCreditLimitRequest(
  tx: Tx, request: CreditLimitRequestRow, decision: { approve: boolean; decidedBy: string; comment: string | null },
): Promise<CreditLimitRequestRow> {
  if (decision.approve) await tx.update(customers).set({ creditLimit: request.toLimit }).where(eq(customers.id, request.customerId));
  const [row] = await tx.update(customerCreditLimitRequests)
    .set({ status: decision.approve ? 'approved' : 'rejected', decidedBy: decision.decidedBy, decidedAt: new Date(), comment: decision.comment })
    .where(eq(customerCreditLimitRequests.id, request.id)).returning();
  return row!;
}

/** The names of these contacts by id (a contact removed since is missing). */
export async function contactNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: customerContacts.id, name: customerContacts.name }).from(customerContacts).where(inArray(customerContacts.id, unique));
  return new Map(rows.map((row) => [row.id, row.name]));
}
