import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { dayOf, parseInstant } from '../domain/dates';
import { fromCents, sumCents, toCents } from '../domain/money';
import { allocatePayment, type Allocation } from '../domain/payments';
import type { Db, Tx } from './client';
import { openInvoiceOf } from './invoices';
import { issueOnce } from './numbers';
import { invoices, paymentAllocations, payments } from './schema';

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

export interface ReceivePaymentInput {
  paymentId: string;
  customerId: string;
  amountCents: number;
  reference: string;
  /** YYYY-MM-DD or an ISO date-time: the late fee is counted to this day (in the business time zone). */
  receivedAt: string;
  timeZone: string;
  recordedBy: string;
}

export interface PaymentOutcome {
  paymentId: string;
  allocations: Allocation[];
  unallocatedCents: number;
}

// Payments have no configurable prefix yet (config.idPrefixes names the SPEC's numbered resources).
const PAYMENT_PREFIX = 'PAY';

/** The id of a payment recorded through the API (`POST /payments`), taken before the payment is written. */
export async function allocatePaymentId(db: Db): Promise<string> {
  const [row] = (await db.execute(sql`select 'PAY-' || lpad(nextval('payment_seq')::text, 6, '0') as id`)) as unknown as [{ id: string }];
  return row.id;
}

/** Records money an order's process received, once per event; a retry answers with the same payment. */
export async function recordPayment(db: Db, input: RecordPaymentInput): Promise<{ paymentId: string }> {
  const receivedAt = new Date(input.receivedAt);
  const paymentId = await issueOnce(db, 'payment', { dedupeKey: input.dedupeKey, prefix: PAYMENT_PREFIX, year: receivedAt.getUTCFullYear() }, {
    customerId: input.customerId, orderId: input.orderId ?? null, amount: fromCents(input.amountCents),
    reference: input.reference, receivedAt, recordedBy: input.recordedBy,
  });
  return { paymentId };
}

/** The money goes back; refunding twice is a no-op. */
export async function refundPayment(db: Db | Tx, paymentId: string): Promise<void> {
  await db.update(payments).set({ status: 'refunded', refundedAt: new Date() }).where(and(eq(payments.id, paymentId), eq(payments.status, 'received')));
}

/**
 * Records a customer payment and allocates it to the customer's open invoices, oldest due first, each
 * with its late fee as of the payment day. The open invoices are locked first, so two payments for
 * one customer allocate one after the other and never pay the same principal twice. Idempotent per paymentId.
 */
export async function receivePayment(db: Db, input: ReceivePaymentInput): Promise<PaymentOutcome> {
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
    const received = parseInstant(input.receivedAt, input.timeZone);
    const paidOn = dayOf(received, input.timeZone);
    const { allocations, unallocatedCents } = allocatePayment(input.amountCents, open.map(openInvoiceOf), paidOn);
    await tx.insert(payments).values({
      id: input.paymentId, dedupeKey: `payment:${input.paymentId}`, customerId: input.customerId, amount: fromCents(input.amountCents),
      reference: input.reference, receivedAt: new Date(received), recordedBy: input.recordedBy,
    });
    for (const a of allocations) {
      await tx.insert(paymentAllocations).values({ paymentId: input.paymentId, invoiceId: a.invoiceId, amount: fromCents(a.principalCents), lateFee: fromCents(a.lateFeeCents) });
      await tx.update(invoices).set({
        paidAmount: sql`${invoices.paidAmount} + ${fromCents(a.principalCents)}::numeric`,
        lateFeePaid: sql`${invoices.lateFeePaid} + ${fromCents(a.lateFeeCents)}::numeric`,
        status: sql`case when ${invoices.paidAmount} + ${invoices.creditedAmount} + ${fromCents(a.principalCents)}::numeric >= ${invoices.amount} then 'paid' else 'open' end`,
        paidOn: sql`case when ${invoices.paidAmount} + ${invoices.creditedAmount} + ${fromCents(a.principalCents)}::numeric >= ${invoices.amount} then ${paidOn}::date else null end`,
      }).where(eq(invoices.id, a.invoiceId));
    }
    return { paymentId: input.paymentId, allocations, unallocatedCents };
  });
}

export type PaymentRow = typeof payments.$inferSelect;
export type AllocationRow = typeof paymentAllocations.$inferSelect;

/** The allocations of these payments, by payment id, oldest first (the order they were made in). */
export async function allocationsOf(db: Db, paymentIds: readonly string[]): Promise<Map<string, AllocationRow[]>> {
  const byPayment = new Map<string, AllocationRow[]>(paymentIds.map((id) => [id, []]));
  if (paymentIds.length === 0) return byPayment;
  const rows = await db.select().from(paymentAllocations).where(inArray(paymentAllocations.paymentId, [...paymentIds]))
    .orderBy(asc(paymentAllocations.createdAt), asc(paymentAllocations.invoiceId));
  for (const row of rows) byPayment.get(row.paymentId)!.push(row);
  return byPayment;
}
