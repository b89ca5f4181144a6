import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { invoices, notificationOutbox, paymentAllocations, payments } from '../db/schema';
import { loadSettings } from '../db/settings';
import { dayOf, parseInstant } from '../domain/dates';
import { lateFeeRuleFrom } from '../domain/late-fee';
import { fromCents, sumCents, toCents } from '../domain/money';
import { allocatePayment, amountDue, type Allocation, type OpenInvoice } from '../domain/payments';
import type { ActivityDeps } from './deps';

export interface ReceivePaymentInput {
  paymentId: string;
  customerId: string;
  amountCents: number;
  reference: string;
  /** YYYY-MM-DD or an ISO date-time: the late fee is counted to this day. */
  receivedAt: string;
  recordedBy: string;
}

export interface PaymentOutcome {
  paymentId: string;
  allocations: Allocation[];
  unallocatedCents: number;
}

/** The invoice as the late-fee rules see it. */
export function openInvoiceOf(row: Pick<typeof invoices.$inferSelect, 'id' | 'dueOn' | 'amount' | 'paidAmount' | 'lateFeePaid' | 'status'>): OpenInvoice {
  const outstanding = row.status === 'open' ? toCents(row.amount) - toCents(row.paidAmount) : 0;
  return { id: row.id, dueOn: row.dueOn, outstandingCents: outstanding, lateFeePaidCents: toCents(row.lateFeePaid) };
}

export function createPaymentActivities({ db }: ActivityDeps) {
  return {
    /**
     * Records a customer payment and allocates it to the customer's open invoices, oldest due first, each
     * with its late fee as of the payment day. The open invoices are locked first, so two payments for
     * one customer allocate one after the other and never pay the same principal twice. Idempotent per paymentId.
     */
    async receivePayment(input: ReceivePaymentInput): Promise<PaymentOutcome> {
      return db.transaction(async (tx) => {
        const [existing] = await tx.select({ amount: payments.amount }).from(payments).where(eq(payments.id, input.paymentId));
        if (existing) {
          const rows = await tx.select().from(paymentAllocations).where(eq(paymentAllocations.paymentId, input.paymentId)).orderBy(asc(paymentAllocations.createdAt));
          const allocations = rows.map((r) => ({ invoiceId: r.invoiceId, principalCents: toCents(r.amount), lateFeeCents: toCents(r.lateFee) }));
          return { paymentId: input.paymentId, allocations, unallocatedCents: toCents(existing.amount) - sumCents(...allocations.map((a) => a.principalCents + a.lateFeeCents)) };
        }
        const open = await tx.select().from(invoices)
          .where(and(eq(invoices.customerId, input.customerId), eq(invoices.status, 'open')))
          .orderBy(asc(invoices.dueOn), asc(invoices.id)).for('update');
        const paidOn = dayOf(parseInstant(input.receivedAt));
        const rule = lateFeeRuleFrom(await loadSettings(tx));
        const { allocations, unallocatedCents } = allocatePayment(input.amountCents, open.map(openInvoiceOf), paidOn, rule);
        await tx.insert(payments).values({
          id: input.paymentId, dedupeKey: `payment:${input.paymentId}`, customerId: input.customerId, amount: fromCents(input.amountCents),
          reference: input.reference, receivedAt: new Date(parseInstant(input.receivedAt)), recordedBy: input.recordedBy,
        });
        for (const a of allocations) {
          await tx.insert(paymentAllocations).values({ paymentId: input.paymentId, invoiceId: a.invoiceId, amount: fromCents(a.principalCents), lateFee: fromCents(a.lateFeeCents) });
          await tx.update(invoices).set({
            paidAmount: sql`${invoices.paidAmount} + ${fromCents(a.principalCents)}::numeric`,
            lateFeePaid: sql`${invoices.lateFeePaid} + ${fromCents(a.lateFeeCents)}::numeric`,
            status: sql`case when ${invoices.paidAmount} + ${fromCents(a.principalCents)}::numeric >= ${invoices.amount} then 'paid' else 'open' end`,
            paidOn: sql`case when ${invoices.paidAmount} + ${fromCents(a.principalCents)}::numeric >= ${invoices.amount} then ${paidOn}::date else null end`,
          }).where(eq(invoices.id, a.invoiceId));
        }
        return { paymentId: input.paymentId, allocations, unallocatedCents };
      });
    },

    /**
     * The dunning sweep: one reminder per invoice that is unpaid after its due date (as of `asOf`). The
     * reminder and reminder_sent_at are written together; SKIP LOCKED lets a concurrent sweep or payment pass.
     */
    async remindOverdueInvoices(input: { asOf: string }): Promise<number> {
      return db.transaction(async (tx) => {
        const overdue = await tx.select().from(invoices)
          .where(and(eq(invoices.status, 'open'), lt(invoices.dueOn, input.asOf), isNull(invoices.reminderSentAt)))
          .orderBy(asc(invoices.dueOn), asc(invoices.id)).limit(500).for('update', { skipLocked: true });
        if (overdue.length === 0) return 0;
        const rule = lateFeeRuleFrom(await loadSettings(tx));
        for (const invoice of overdue) {
          const due = amountDue(openInvoiceOf(invoice), input.asOf, rule);
          await tx.insert(notificationOutbox).values({
            dedupeKey: `invoice:${invoice.id}:overdue`, channel: 'customer', recipient: invoice.customerId,
            subject: `Invoice ${invoice.id} is overdue`,
            body: `Invoice ${invoice.id} was due on ${invoice.dueOn}. As of ${input.asOf} ${fromCents(due.amountDueCents)} is due, including a late fee of ${fromCents(due.lateFeeCents)}.`,
            resourceType: 'invoice', resourceId: invoice.id,
          }).onConflictDoNothing({ target: notificationOutbox.dedupeKey });
          await tx.update(invoices).set({ reminderSentAt: new Date() }).where(eq(invoices.id, invoice.id));
        }
        return overdue.length;
      });
    },
  };
}
