import { eq, sql } from 'drizzle-orm';
import { formatNumber } from '../domain/ids';
import type { Db, Tx } from './client';
import type { ProcessKind } from './processes';
import { invoices, payments } from './schema';

/** The next business number from a sequence, e.g. INV-2026-000042. */
export async function nextNumber(tx: Tx, sequence: 'invoice_seq' | 'payment_seq' | 'credit_note_seq', prefix: string, year: number): Promise<string> {
  const [{ seq }] = (await tx.execute(sql`select nextval(${sequence}::regclass)::int as seq`)) as unknown as [{ seq: number }];
  return formatNumber(prefix, year, seq);
}

/** The number of a new process (ticket, order, contract, return, incident), e.g. T-2026-000123, from its own sequence. */
export async function allocateProcessNumber(db: Db, kind: ProcessKind, prefix: string, year: number): Promise<string> {
  const [{ seq }] = (await db.execute(sql`select nextval(${`${kind}_seq`}::regclass)::int as seq`)) as unknown as [{ seq: number }];
  return formatNumber(prefix, year, seq);
}

/** The numbered documents that a business event issues once (an order's invoice, its payment). */
const DOCUMENTS = {
  invoice: { table: invoices, sequence: 'invoice_seq' },
  payment: { table: payments, sequence: 'payment_seq' },
} as const;
type Document = keyof typeof DOCUMENTS;

/**
 * Issues a numbered document once per dedupe key and answers its id: a retry finds the first one, and a
 * concurrent twin that wins the insert is answered with the twin's number.
 */
export async function issueOnce<D extends Document>(
  db: Db, document: D, key: { dedupeKey: string; prefix: string; year: number },
  values: Omit<(typeof DOCUMENTS)[D]['table']['$inferInsert'], 'id' | 'dedupeKey'>,
): Promise<string> {
  const { table, sequence } = DOCUMENTS[document] as (typeof DOCUMENTS)['invoice'];
  return db.transaction(async (tx) => {
    const existing = async () => (await tx.select({ id: table.id }).from(table).where(eq(table.dedupeKey, key.dedupeKey)))[0]?.id;
    const first = await existing();
    if (first) return first;
    const id = await nextNumber(tx, sequence, key.prefix, key.year);
    const [inserted] = await tx.insert(table).values({ ...values, id, dedupeKey: key.dedupeKey } as typeof table.$inferInsert)
      .onConflictDoNothing({ target: table.dedupeKey }).returning({ id: table.id });
    return inserted?.id ?? (await existing())!;
  });
}
