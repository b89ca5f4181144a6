import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { lateFeeRuleFrom } from '../domain/late-fee';
import { fromCents, toCents } from '../domain/money';
import { amountDue, type OpenInvoice } from '../domain/payments';
import type { Db, Tx } from './client';
import { writeNotifications, type DeliveryChannels } from './notifications';
import { issueOnce } from './numbers';
import { creditApplications, creditNotes, invoices } from './schema';
import { loadSettings } from './settings';

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

type InvoiceRow = typeof invoices.$inferSelect;

/** What of an invoice's principal is still owed: neither paid nor credited (nothing once paid or void). */
export function unsettledCents(row: Pick<InvoiceRow, 'status' | 'amount' | 'paidAmount' | 'creditedAmount'>): number {
  return row.status === 'open' ? toCents(row.amount) - toCents(row.paidAmount) - toCents(row.creditedAmount) : 0;
}

/** Credits `cents` of an invoice's principal (a credit note or a credit balance); settled in full, it is paid on `on`. */
export async function creditInvoice(tx: Tx, invoice: Pick<InvoiceRow, 'id' | 'amount' | 'paidAmount' | 'creditedAmount'>, cents: number, on: string): Promise<void> {
  const credited = toCents(invoice.creditedAmount) + cents;
  const settledInFull = toCents(invoice.paidAmount) + credited >= toCents(invoice.amount);
  await tx.update(invoices).set({ creditedAmount: fromCents(credited), ...(settledInFull ? { status: 'paid' as const, paidOn: on } : {}) })
    .where(eq(invoices.id, invoice.id));
}

/** The invoice as the late-fee rules see it, with the rule it was issued under. */
export function openInvoiceOf(row: Pick<InvoiceRow, 'id' | 'dueOn' | 'amount' | 'paidAmount' | 'creditedAmount' | 'lateFeePaid' | 'status' | 'lateFeeRatePerDay' | 'lateFeeMaxDays' | 'lateFeeCap'>): OpenInvoice {
  // What credit notes settled is no longer owed: payments and the late fee count on the rest.
  const outstanding = unsettledCents(row);
  const rule = { ratePerDay: row.lateFeeRatePerDay, maxDays: row.lateFeeMaxDays, capCents: toCents(row.lateFeeCap) };
  return { id: row.id, dueOn: row.dueOn, outstandingCents: outstanding, lateFeePaidCents: toCents(row.lateFeePaid), rule };
}

/** Issues an invoice numbered `<prefix>-YYYY-NNNNNN` once per dedupe key; a retry answers with the same invoice. */
export async function issueInvoice(db: Db, prefix: string, input: IssueInvoiceInput): Promise<{ invoiceId: string }> {
  // The late-fee settings of the day of issue go onto the invoice; a retry finds the invoice and keeps its own.
  const rule = lateFeeRuleFrom(await loadSettings(db));
  const invoiceId = await issueOnce(db, 'invoice', { dedupeKey: input.dedupeKey, prefix, year: Number(input.issuedOn.slice(0, 4)) }, {
    customerId: input.customerId, orderId: input.orderId ?? null, contractId: input.contractId ?? null,
    description: input.description, amount: fromCents(input.amountCents), issuedOn: input.issuedOn, dueOn: input.dueOn,
    lateFeeRatePerDay: rule.ratePerDay, lateFeeMaxDays: rule.maxDays, lateFeeCap: fromCents(rule.capCents),
  });
  await applyCreditBalance(db, invoiceId, input.issuedOn);
  return { invoiceId };
}

/**
 * Settles a new invoice from the customer's credit balances (returns credited after their invoice was paid),
 * oldest credit note first, on its day of issue: the customer is owed that money, so it is not asked for
 * again (Zuora and Chargebee apply a credit balance to the next invoice the same way). A retry finds the
 * invoice settled or the balances spent, so running it again changes nothing that should not change.
 */
async function applyCreditBalance(db: Db, invoiceId: string, on: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
    if (!invoice || unsettledCents(invoice) <= 0) return;
    const balances = await tx.select().from(creditNotes).where(and(eq(creditNotes.customerId, invoice.customerId), gt(creditNotes.creditBalance, '0')))
      .orderBy(asc(creditNotes.issuedOn), asc(creditNotes.id)).for('update');
    let takenCents = 0;
    for (const note of balances) {
      const taken = Math.min(toCents(note.creditBalance), unsettledCents(invoice) - takenCents);
      if (taken === 0) break;
      await tx.update(creditNotes).set({ creditBalance: fromCents(toCents(note.creditBalance) - taken), appliedLater: fromCents(toCents(note.appliedLater) + taken) })
        .where(eq(creditNotes.id, note.id));
      await tx.insert(creditApplications).values({ creditNoteId: note.id, invoiceId, amount: fromCents(taken), appliedOn: on });
      takenCents += taken;
    }
    if (takenCents > 0) await creditInvoice(tx, invoice, takenCents, on);
  });
}

/**
 * An unpaid invoice (open, or settled by credit balances alone) is voided, and the credit balances it took
 * go back to their credit notes; voiding twice is a no-op.
 */
export async function voidInvoice(db: Db, invoiceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const voided = await tx.update(invoices).set({ status: 'void', voidedAt: new Date(), paidOn: null })
      .where(and(eq(invoices.id, invoiceId), or(eq(invoices.status, 'open'), and(eq(invoices.status, 'paid'), eq(invoices.paidAmount, '0')))))
      .returning({ id: invoices.id });
    if (voided.length === 0) return;
    const taken = await tx.delete(creditApplications).where(eq(creditApplications.invoiceId, invoiceId)).returning();
    if (taken.length === 0) return;
    const givenBack = taken.reduce((sum, application) => sum + toCents(application.amount), 0);
    await tx.update(invoices).set({ creditedAmount: sql`${invoices.creditedAmount} - ${fromCents(givenBack)}::numeric` }).where(eq(invoices.id, invoiceId));
    for (const application of taken) {
      await tx.update(creditNotes).set({
        creditBalance: sql`${creditNotes.creditBalance} + ${application.amount}::numeric`, appliedLater: sql`${creditNotes.appliedLater} - ${application.amount}::numeric`,
      }).where(eq(creditNotes.id, application.creditNoteId));
    }
  });
}

/**
 * The dunning sweep: one reminder per invoice that is unpaid after its due date (as of `asOf`). The
 * reminder and reminder_sent_at are written together; SKIP LOCKED lets a concurrent sweep or payment pass.
 * Answers how many invoices were reminded.
 */
export async function remindOverdueInvoices(db: Db, asOf: string, channels: DeliveryChannels): Promise<{ reminded: number; waiting: number[] }> {
  return db.transaction(async (tx) => {
    const overdue = await tx.select().from(invoices)
      .where(and(eq(invoices.status, 'open'), lt(invoices.dueOn, asOf), isNull(invoices.reminderSentAt)))
      .orderBy(asc(invoices.dueOn), asc(invoices.id)).limit(500).for('update', { skipLocked: true });
    if (overdue.length === 0) return { reminded: 0, waiting: [] };
    const waiting: number[] = [];
    for (const invoice of overdue) {
      const due = amountDue(openInvoiceOf(invoice), asOf);
      waiting.push(...await writeNotifications(tx, [{
        dedupeKey: `invoice:${invoice.id}:overdue`, kind: 'invoice.overdue', audience: [`customer:${invoice.customerId}`], resource: { type: 'invoice', id: invoice.id },
        data: { number: invoice.id, dueOn: invoice.dueOn, asOf, amountDue: fromCents(due.amountDueCents), lateFee: fromCents(due.lateFeeCents) },
      }], channels));
      await tx.update(invoices).set({ reminderSentAt: new Date() }).where(eq(invoices.id, invoice.id));
    }
    return { reminded: overdue.length, waiting };
  });
}
