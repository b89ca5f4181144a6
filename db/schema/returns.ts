import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgSequence, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { ReturnCondition, ReturnState } from '../../domain/returns';
import { invoices } from './billing';
import { customers } from './customers';
import { orders } from './orders';
import { products } from './products';

export const returnSeq = pgSequence('return_seq');
export const creditNoteSeq = pgSequence('credit_note_seq');

// A return (RMA) of delivered goods. Its workflow writes each step; the order row stays as it was (a
// return is a new business event, not a change of the order).
export const returns = pgTable('returns', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull().unique(),
  orderId: text('order_id').notNull().references(() => orders.id),
  customerId: text('customer_id').notNull().references(() => customers.id),
  status: text('status').$type<ReturnState>().notNull(),
  reason: text('reason').notNull(),
  total: numeric('total', { precision: 14, scale: 2 }).notNull(),
  creditNoteId: text('credit_note_id'),
  requestedBy: text('requested_by').notNull(),
  receivedBy: text('received_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }),
}, (t) => [
  index('returns_order_idx').on(t.orderId, t.createdAt),
  index('returns_customer_idx').on(t.customerId, t.createdAt),
  index('returns_status_idx').on(t.status, t.createdAt),
  index('returns_created_idx').on(t.createdAt, t.id),
]);

// Each line at the price the order charged for it; the condition is set when the goods arrive.
export const returnLines = pgTable('return_lines', {
  returnId: text('return_id').notNull().references(() => returns.id),
  sku: text('sku').notNull().references(() => products.sku),
  qty: integer('qty').notNull(),
  unitPrice: numeric('unit_price', { precision: 14, scale: 2 }).notNull(),
  lineTotal: numeric('line_total', { precision: 14, scale: 2 }).notNull(),
  condition: text('condition').$type<ReturnCondition>(),
}, (t) => [primaryKey({ columns: [t.returnId, t.sku] }), check('return_lines_qty_positive', sql`${t.qty} > 0`)]);

// What a credit note settled: part of the open invoice, a credit balance left on the customer's account,
// or (prepaid and cash on delivery) money to refund; the balance is spent on the customer's next invoices
// (applied_later, one credit_applications row each). The four add up to the amount.
export const creditNotes = pgTable('credit_notes', {
  id: text('id').primaryKey(),
  // One credit note per return: `return:R-2026-000001`.
  dedupeKey: text('dedupe_key').notNull().unique(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  orderId: text('order_id').notNull().references(() => orders.id),
  returnId: text('return_id').notNull().references(() => returns.id),
  invoiceId: text('invoice_id'),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  appliedToInvoice: numeric('applied_to_invoice', { precision: 14, scale: 2 }).notNull().default('0.00'),
  creditBalance: numeric('credit_balance', { precision: 14, scale: 2 }).notNull().default('0.00'),
  refundAmount: numeric('refund_amount', { precision: 14, scale: 2 }).notNull().default('0.00'),
  appliedLater: numeric('applied_later', { precision: 14, scale: 2 }).notNull().default('0.00'),
  refundOfPaymentId: text('refund_of_payment_id'),
  issuedOn: date('issued_on').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('credit_notes_amount_positive', sql`${t.amount} > 0`),
  check('credit_notes_settled', sql`${t.appliedToInvoice} + ${t.creditBalance} + ${t.refundAmount} + ${t.appliedLater} = ${t.amount}`),
  check('credit_notes_balance_not_negative', sql`${t.creditBalance} >= 0`),
  index('credit_notes_customer_idx').on(t.customerId, t.issuedOn),
  index('credit_notes_order_idx').on(t.orderId),
  index('credit_notes_invoice_idx').on(t.invoiceId),
]);

// A credit balance spent on a later invoice of the same customer, when that invoice was issued.
export const creditApplications = pgTable('credit_applications', {
  creditNoteId: text('credit_note_id').notNull().references(() => creditNotes.id),
  invoiceId: text('invoice_id').notNull().references(() => invoices.id),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  appliedOn: date('applied_on').notNull(),
}, (t) => [
  primaryKey({ columns: [t.creditNoteId, t.invoiceId] }),
  check('credit_applications_amount_positive', sql`${t.amount} > 0`),
  index('credit_applications_invoice_idx').on(t.invoiceId),
]);
