import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgSequence, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { customers } from './customers';

// Invoices and payments are shared by orders (credit terms, prepaid/COD payments) and contracts
// (billing schedules, payment allocation, late fees).
export const invoiceSeq = pgSequence('invoice_seq');
export const paymentSeq = pgSequence('payment_seq');

export const invoices = pgTable('invoices', {
  id: text('id').primaryKey(),
  // One invoice per business event (e.g. `order:SO-2026-000001`, `contract:C-2026-000001:2026-03`): a retried activity finds it.
  dedupeKey: text('dedupe_key').notNull().unique(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  orderId: text('order_id'),
  contractId: text('contract_id'),
  description: text('description').notNull(),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  issuedOn: date('issued_on').notNull(),
  dueOn: date('due_on').notNull(),
  status: text('status', { enum: ['open', 'paid', 'void'] }).notNull().default('open'),
  paidOn: date('paid_on'),
  paidAmount: numeric('paid_amount', { precision: 14, scale: 2 }).notNull().default('0.00'),
  lateFeePaid: numeric('late_fee_paid', { precision: 14, scale: 2 }).notNull().default('0.00'),
  // Principal settled by credit notes (returns): it is no longer owed, and no late fee accrues on it.
  creditedAmount: numeric('credited_amount', { precision: 14, scale: 2 }).notNull().default('0.00'),
  // The late-fee rule (invoice.lateFee* settings) as it stood at issue: a later change of the settings
  // does not touch invoices already issued. The defaults are SPEC §6's, for rows written before these existed.
  lateFeeRatePerDay: numeric('late_fee_rate_per_day', { precision: 10, scale: 6 }).notNull().default('0.003'),
  lateFeeMaxDays: integer('late_fee_max_days').notNull().default(90),
  lateFeeCap: numeric('late_fee_cap', { precision: 14, scale: 2 }).notNull().default('3000.00'),
  reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  voidedAt: timestamp('voided_at', { withTimezone: true }),
}, (t) => [
  check('invoices_amount_positive', sql`${t.amount} > 0`),
  index('invoices_customer_status_due_idx').on(t.customerId, t.status, t.dueOn),
  index('invoices_status_due_idx').on(t.status, t.dueOn),
  index('invoices_order_idx').on(t.orderId),
  index('invoices_contract_idx').on(t.contractId),
]);

export const payments = pgTable('payments', {
  id: text('id').primaryKey(),
  dedupeKey: text('dedupe_key').notNull().unique(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  orderId: text('order_id'),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  reference: text('reference').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  status: text('status', { enum: ['received', 'refunded'] }).notNull().default('received'),
  refundedAt: timestamp('refunded_at', { withTimezone: true }),
  recordedBy: text('recorded_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('payments_amount_positive', sql`${t.amount} > 0`),
  index('payments_customer_idx').on(t.customerId, t.receivedAt),
  index('payments_order_idx').on(t.orderId),
]);

export const paymentAllocations = pgTable('payment_allocations', {
  paymentId: text('payment_id').notNull().references(() => payments.id),
  invoiceId: text('invoice_id').notNull().references(() => invoices.id),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  lateFee: numeric('late_fee', { precision: 14, scale: 2 }).notNull().default('0.00'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.paymentId, t.invoiceId] }), index('payment_allocations_invoice_idx').on(t.invoiceId)]);
