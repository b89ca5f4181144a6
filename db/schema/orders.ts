import { sql } from 'drizzle-orm';
import { check, index, integer, numeric, pgSequence, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { OrderState, PaymentTerms, ProductKind } from '../../domain/orders';
import type { PriceRule } from '../../domain/pricing';
import { customers } from './customers';
import { products } from './products';

export const orderSeq = pgSequence('order_seq');

// The order row mirrors the workflow's state after each transition; `last_seq` lets a late or retried
// write recognise that a newer state is already stored.
export const orders = pgTable('orders', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull().unique(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  paymentTerms: text('payment_terms').$type<PaymentTerms>().notNull(),
  contractId: text('contract_id'),
  deliveryAddress: text('delivery_address'),
  status: text('status').$type<OrderState>().notNull(),
  // Null until priced.
  total: numeric('total', { precision: 14, scale: 2 }),
  invoiceId: text('invoice_id'),
  paymentId: text('payment_id'),
  cancelReason: text('cancel_reason'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  lastSeq: integer('last_seq').notNull(),
}, (t) => [
  index('orders_status_idx').on(t.status, t.createdAt),
  index('orders_customer_idx').on(t.customerId, t.createdAt),
  index('orders_terms_idx').on(t.paymentTerms, t.createdAt),
  index('orders_created_idx').on(t.createdAt, t.id),
]);

// What a credit check let through, written under the customer's row lock in the same transaction as the
// check, so simultaneous credit orders of one customer see each other: until its invoice is issued (then
// the invoice counts) or it is cancelled, a cleared order's total counts towards the customer's exposure.
export const creditCommitments = pgTable('credit_commitments', {
  orderId: text('order_id').primaryKey(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('credit_commitments_customer_idx').on(t.customerId)]);

// Each line keeps what priced it, so the order explains its numbers after prices and promotions change.
export const orderLines = pgTable('order_lines', {
  orderId: text('order_id').notNull().references(() => orders.id),
  lineNo: integer('line_no').notNull(),
  sku: text('sku').notNull().references(() => products.sku),
  kind: text('kind').$type<ProductKind>().notNull(),
  qty: integer('qty').notNull(),
  priceRule: text('price_rule').$type<PriceRule>().notNull(),
  baseUnitPrice: numeric('base_unit_price', { precision: 14, scale: 2 }).notNull(),
  promotionId: text('promotion_id'),
  percentOff: numeric('percent_off', { precision: 5, scale: 2 }),
  unitPrice: numeric('unit_price', { precision: 14, scale: 2 }).notNull(),
  lineTotal: numeric('line_total', { precision: 14, scale: 2 }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.orderId, t.lineNo] }),
  index('order_lines_sku_idx').on(t.sku),
  check('order_lines_qty_positive', sql`${t.qty} > 0`),
]);

export const orderEvents = pgTable('order_events', {
  orderId: text('order_id').notNull().references(() => orders.id),
  seq: integer('seq').notNull(),
  action: text('action').notNull(),
  actorId: text('actor_id').notNull(),
  fromStatus: text('from_status').$type<OrderState>(),
  toStatus: text('to_status').$type<OrderState>().notNull(),
  note: text('note'),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.orderId, t.seq] }), index('order_events_action_idx').on(t.action, t.at)]);

/**
 * One row per order and sku, so a retried reservation finds its own earlier hold instead of holding
 * twice. `waiting` marks a backordered line: a restock finds the orders to wake from it.
 */
export const reservations = pgTable('reservations', {
  orderId: text('order_id').notNull().references(() => orders.id),
  sku: text('sku').notNull().references(() => products.sku),
  qty: integer('qty').notNull(),
  status: text('status', { enum: ['waiting', 'held', 'shipped', 'released'] }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orderId, t.sku] }),
  index('reservations_sku_status_idx').on(t.sku, t.status),
  check('reservations_qty_positive', sql`${t.qty} > 0`),
]);

/** Service lines as they are provisioned; released when the order is cancelled before activation. */
export const orderServices = pgTable('order_services', {
  orderId: text('order_id').notNull().references(() => orders.id),
  sku: text('sku').notNull().references(() => products.sku),
  qty: integer('qty').notNull(),
  status: text('status', { enum: ['allocated', 'configured', 'activation_requested', 'active', 'released'] }).notNull(),
  activatedBy: text('activated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orderId, t.sku] })]);

export const shipments = pgTable('shipments', {
  orderId: text('order_id').primaryKey().references(() => orders.id),
  carrier: text('carrier').notNull(),
  trackingNo: text('tracking_no').notNull(),
  shippedBy: text('shipped_by').notNull(),
  shippedAt: timestamp('shipped_at', { withTimezone: true }).notNull(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  deliveredBy: text('delivered_by'),
}, (t) => [index('shipments_tracking_no_idx').on(t.trackingNo)]);
