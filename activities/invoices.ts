import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { invoices, payments } from '../db/schema';
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

export interface RecordPaymentInput {
  /** Stable per business event, e.g. `order:SO-2026-000001:payment`; a retry returns the same payment. */
  dedupeKey: string;
  customerId: string;
  orderId?: string | null;
  amountCents: number;
  reference: string;
  receivedAt: number; // epoch ms
  recordedBy: string;
}

// Payments have no configurable prefix yet (config.idPrefixes names the SPEC's numbered resources).
const PAYMENT_PREFIX = 'PAY';

async function nextNumber(tx: Tx, sequence: 'invoice_seq' | 'payment_seq', prefix: string, year: number): Promise<string> {
  const [{ seq }] = (await tx.execute(sql`select nextval(${sequence}::regclass)::int as seq`)) as unknown as [{ seq: number }];
  return formatNumber(prefix, year, seq);
}

// Shared by the order and contract processes: invoices are numbered INV-YYYY-NNNNNN and issued once per event.
export function createInvoiceActivities({ db, config }: ActivityDeps) {
  return {
    async issueInvoice(input: IssueInvoiceInput): Promise<{ invoiceId: string }> {
      return db.transaction(async (tx) => {
        const [existing] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.dedupeKey, input.dedupeKey));
        if (existing) return { invoiceId: existing.id };
        const id = await nextNumber(tx, 'invoice_seq', config.idPrefixes.invoice, Number(input.issuedOn.slice(0, 4)));
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

    /** Records money received once per event; a retry answers with the same payment. */
    async recordPayment(input: RecordPaymentInput): Promise<{ paymentId: string }> {
      return db.transaction(async (tx) => {
        const [existing] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.dedupeKey, input.dedupeKey));
        if (existing) return { paymentId: existing.id };
        const receivedAt = new Date(input.receivedAt);
        const id = await nextNumber(tx, 'payment_seq', PAYMENT_PREFIX, receivedAt.getUTCFullYear());
        const [row] = await tx.insert(payments).values({
          id, dedupeKey: input.dedupeKey, customerId: input.customerId, orderId: input.orderId ?? null, amount: fromCents(input.amountCents),
          reference: input.reference, receivedAt, recordedBy: input.recordedBy,
        }).onConflictDoNothing({ target: payments.dedupeKey }).returning({ id: payments.id });
        if (!row) return { paymentId: (await tx.select({ id: payments.id }).from(payments).where(eq(payments.dedupeKey, input.dedupeKey)))[0]!.id };
        return { paymentId: row.id };
      });
    },

    /** Compensation: the money goes back; refunding twice is a no-op. */
    async refundPayment(input: { paymentId: string }): Promise<void> {
      await db.update(payments).set({ status: 'refunded', refundedAt: new Date() }).where(and(eq(payments.id, input.paymentId), eq(payments.status, 'received')));
    },
  };
}
