import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { dayOf } from '../domain/dates';
import { fromCents, toCents } from '../domain/money';
import type { CreditNoteIssued, OpenedReturn } from '../domain/processes/return';
import { priceReturn, returnProblem, settleCredit, type ReturnableLine, type ReturnCondition, type ReturnFacts, type ReturnRequestLine } from '../domain/returns';
import type { Db, Tx } from './client';
import { creditInvoice, unsettledCents } from './invoices';
import { nextNumber } from './numbers';
import { Refusal } from './refusal';
import { creditNotes, invoices, orderLines, orders, returnLines, returns, shipments } from './schema';
import { loadSettings } from './settings';
import { addStock, ordersWaitingFor } from './stock';

// Returns and their credit notes. Every write is keyed by the return: opening checks and records it under
// the order's row lock (two returns of one order cannot together take back more than was delivered),
// receiving restocks once, and the credit note is issued once.

/** What a return of this order may take back as of `today`, or null for an unknown order. */
export async function returnFactsOf(db: Db | Tx, orderId: string, today: string) {
  const [order] = await db.select({ customerId: orders.customerId, paymentTerms: orders.paymentTerms, deliveredAt: shipments.deliveredAt })
    .from(orders).leftJoin(shipments, eq(shipments.orderId, orders.id)).where(eq(orders.id, orderId));
  if (!order) return null;
  const [lines, returned, settings] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo)),
    db.select({ sku: returnLines.sku, qty: sql<number>`sum(${returnLines.qty})::int` }).from(returnLines)
      .innerJoin(returns, eq(returns.id, returnLines.returnId)).where(eq(returns.orderId, orderId)).groupBy(returnLines.sku),
    loadSettings(db),
  ]);
  const returnedOf = new Map(returned.map((r) => [r.sku, r.qty]));
  const returnable: ReturnableLine[] = lines.map((l) => ({ sku: l.sku, kind: l.kind, qty: l.qty, unitPriceCents: toCents(l.unitPrice), returnedQty: returnedOf.get(l.sku) ?? 0 }));
  const facts: ReturnFacts = {
    lines: returnable, deliveredOn: order.deliveredAt ? dayOf(order.deliveredAt.getTime()) : null, today, windowDays: settings['order.returnWindowDays'] as number,
  };
  return { customerId: order.customerId, paymentTerms: order.paymentTerms, facts };
}

export interface OpenReturnInput {
  returnId: string;
  workflowId: string;
  orderId: string;
  lines: ReturnRequestLine[];
  reason: string;
  requestedBy: string;
  at: number;
}

/** Checks the return against the order and records it at the prices charged; a retry answers what it recorded. */
export async function openReturn(db: Db, input: OpenReturnInput): Promise<OpenedReturn> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, input.orderId)).for('update');
    if (!locked) throw new Refusal(`order ${input.orderId} does not exist`, undefined, 'not-found');
    const known = await tx.select().from(returns).where(eq(returns.id, input.returnId));
    const found = await returnFactsOf(tx, input.orderId, dayOf(input.at));
    const { customerId, paymentTerms, facts } = found!;
    if (known.length > 0) return openedOf(tx, input.returnId, customerId, paymentTerms);
    const problem = returnProblem(input.lines, facts);
    if (problem?.kind === 'not_delivered') throw new Refusal(problem.message, { state: 'not_delivered' }, 'invalid-state');
    if (problem) throw new Refusal(problem.message, { errors: problem.errors });
    const priced = priceReturn(input.lines, facts.lines);
    await tx.insert(returns).values({
      id: input.returnId, workflowId: input.workflowId, orderId: input.orderId, customerId, status: 'awaiting_goods', reason: input.reason,
      total: fromCents(priced.totalCents), requestedBy: input.requestedBy, createdAt: new Date(input.at),
    });
    await tx.insert(returnLines).values(priced.lines.map((l) => ({ returnId: input.returnId, sku: l.sku, qty: l.qty, unitPrice: fromCents(l.unitPriceCents), lineTotal: fromCents(l.lineTotalCents) })));
    return { customerId, paymentTerms, ...priced };
  });
}

async function openedOf(tx: Tx, returnId: string, customerId: string, paymentTerms: OpenedReturn['paymentTerms']): Promise<OpenedReturn> {
  const [row] = await tx.select({ total: returns.total }).from(returns).where(eq(returns.id, returnId));
  const lines = await tx.select().from(returnLines).where(eq(returnLines.returnId, returnId)).orderBy(asc(returnLines.sku));
  return {
    customerId, paymentTerms, totalCents: toCents(row!.total),
    lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPriceCents: toCents(l.unitPrice), lineTotalCents: toCents(l.lineTotal) })),
  };
}

/**
 * The goods are back: each line's condition is recorded and the resaleable ones go back on the shelf,
 * once (the first receipt sets received_at; a retry finds it set and restocks nothing). Answers the
 * orders backordered on the restocked skus, read after the commit as a restock does (db/stock.ts).
 */
export async function receiveReturn(
  db: Db, input: { returnId: string; lines: Array<{ sku: string; condition: ReturnCondition }>; receivedBy: string; at: number },
): Promise<{ restocked: string[]; waiting: Array<{ id: string; workflowId: string; sku: string }> }> {
  const restocked = await db.transaction(async (tx) => {
    const [first] = await tx.update(returns).set({ receivedBy: input.receivedBy, receivedAt: new Date(input.at) })
      .where(and(eq(returns.id, input.returnId), sql`${returns.receivedAt} is null`)).returning({ id: returns.id });
    const lines = await tx.select().from(returnLines).where(eq(returnLines.returnId, input.returnId));
    const resaleable = lines.filter((l) => input.lines.some((c) => c.sku === l.sku && c.condition === 'resaleable'));
    if (!first) return resaleable.map((l) => l.sku);
    for (const line of lines) {
      const condition = input.lines.find((c) => c.sku === line.sku)!.condition;
      await tx.update(returnLines).set({ condition }).where(and(eq(returnLines.returnId, input.returnId), eq(returnLines.sku, line.sku)));
    }
    for (const line of resaleable) {
      // Stock on hand has just shrunk by at least this much when the order shipped, so it fits.
      if (!(await addStock(tx, line.sku, line.qty))) throw new Error(`stock of ${line.sku} would exceed its maximum`);
    }
    return resaleable.map((l) => l.sku);
  });
  return { restocked, waiting: await ordersWaitingFor(db, restocked) };
}

/**
 * Issues the return's credit note (`CN-YYYY-NNNNNN`) once. On credit terms it settles the order's invoice
 * first (the principal it reduces is no longer owed, so the late fee is counted on what remains) and
 * leaves any rest as a credit balance; on prepaid and cash-on-delivery terms it records the refund of the
 * order's payment. The return is marked credited in the same transaction.
 */
export async function issueCreditNote(db: Db, prefix: string, input: { returnId: string; on: string }): Promise<CreditNoteIssued> {
  return db.transaction(async (tx) => {
    const [ret] = await tx.select().from(returns).where(eq(returns.id, input.returnId)).for('update');
    if (!ret) throw new Refusal(`return ${input.returnId} does not exist`, undefined, 'not-found');
    if (ret.creditNoteId) return { creditNoteId: ret.creditNoteId, amountCents: toCents(ret.total) };
    const [order] = await tx.select({ paymentTerms: orders.paymentTerms, paymentId: orders.paymentId }).from(orders).where(eq(orders.id, ret.orderId));
    const [invoice] = order!.paymentTerms === 'credit'
      ? await tx.select().from(invoices).where(and(eq(invoices.orderId, ret.orderId), ne(invoices.status, 'void'))).for('update')
      : [];
    // Delivered credit orders are invoiced in the same moment; a return that overtakes it waits (the activity retries).
    if (order!.paymentTerms === 'credit' && !invoice) throw new Error(`order ${ret.orderId} is not invoiced yet`);
    const amountCents = toCents(ret.total);
    const outstanding = invoice ? unsettledCents(invoice) : 0;
    const settled = settleCredit(amountCents, order!.paymentTerms, outstanding);
    const creditNoteId = await nextNumber(tx, 'credit_note_seq', prefix, Number(input.on.slice(0, 4)));
    await tx.insert(creditNotes).values({
      id: creditNoteId, dedupeKey: `return:${ret.id}`, customerId: ret.customerId, orderId: ret.orderId, returnId: ret.id, invoiceId: invoice?.id ?? null,
      amount: fromCents(amountCents), appliedToInvoice: fromCents(settled.appliedToInvoiceCents), creditBalance: fromCents(settled.creditBalanceCents),
      refundAmount: fromCents(settled.refundCents), refundOfPaymentId: settled.refundCents > 0 ? order!.paymentId : null, issuedOn: input.on,
    });
    if (invoice && settled.appliedToInvoiceCents > 0) await creditInvoice(tx, invoice, settled.appliedToInvoiceCents, input.on);
    await tx.update(returns).set({ status: 'credited', creditNoteId }).where(eq(returns.id, ret.id));
    return { creditNoteId, amountCents };
  });
}
