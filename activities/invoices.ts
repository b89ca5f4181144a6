import { and, eq, sql } from 'drizzle-orm';
import { invoices } from '../db/schema';
import { formatNumber } from '../domain/ids';
import { fromCents } from '../domain/money';
import type { ActivityDeps } from './deps';

export interface IssueInvoiceInput {
  /** Stable per business event, e.g. `order:SO-2026-000001`; a retry returns the same invoice. */
  dedupeKey: string;
  customerId: string;
  orderId?: string | null;
  contractId?: string | null;
  description: string;
  amountCents: number;
  issuedOn: string; // YYYY-MM-DD
  dueOn: string; // YYYY-MM-DD
}

// Shared by the order and contract processes: invoices are numbered INV-YYYY-NNNNNN and issued once per event.
export function createInvoiceActivities({ db, config }: ActivityDeps) {
  return {
    async issueInvoice(input: IssueInvoiceInput): Promise<{ invoiceId: string }> {
      return db.transaction(async (tx) => {
        const [existing] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.dedupeKey, input.dedupeKey));
        if (existing) return { invoiceId: existing.id };
        const [{ seq }] = (await tx.execute(sql`select nextval('invoice_seq')::int as seq`)) as unknown as [{ seq: number }];
        const id = formatNumber(config.idPrefixes.invoice, Number(input.issuedOn.slice(0, 4)), seq);
        const [row] = await tx.insert(invoices).values({
          id, dedupeKey: input.dedupeKey, customerId: input.customerId, orderId: input.orderId ?? null, contractId: input.contractId ?? null,
          description: input.description, amount: fromCents(input.amountCents), issuedOn: input.issuedOn, dueOn: input.dueOn,
        }).onConflictDoNothing({ target: invoices.dedupeKey }).returning({ id: invoices.id });
        // A concurrent twin won the insert; answer with its invoice.
        if (!row) return { invoiceId: (await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.dedupeKey, input.dedupeKey)))[0]!.id };
        return { invoiceId: row.id };
      });
    },

    /** Compensation: an unpaid invoice is voided; voiding twice is a no-op. */
    async voidInvoice(input: { invoiceId: string }): Promise<void> {
      await db.update(invoices).set({ status: 'void', voidedAt: new Date() }).where(and(eq(invoices.id, input.invoiceId), eq(invoices.status, 'open')));
    },
  };
}
