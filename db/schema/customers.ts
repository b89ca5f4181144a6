import { sql } from 'drizzle-orm';
import { index, numeric, pgSequence, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { products } from './products';

// lpad would cut longer numbers short; the sequence stops at the width instead of repeating ids.
export const customerSeq = pgSequence('customer_seq', { maxValue: 999_999 });

export const customers = pgTable('customers', {
  id: text('id').primaryKey().default(sql`'CUS-' || lpad(nextval('customer_seq')::text, 6, '0')`),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['individual', 'enterprise'] }).notNull(),
  tier: text('tier', { enum: ['vip', 'key', 'standard'] }).notNull(),
  region: text('region'),
  /** The language of e-mail to the customer's contacts; null: English. */
  language: text('language'),
  creditLimit: numeric('credit_limit', { precision: 14, scale: 2 }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('customers_tier_idx').on(t.tier), index('customers_region_idx').on(t.region), index('customers_name_idx').on(t.name)]);

export const customerContacts = pgTable('customer_contacts', {
  id: serial('id').primaryKey(),
  customerId: text('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  phone: text('phone'),
  email: text('email'),
}, (t) => [index('customer_contacts_customer_idx').on(t.customerId)]);

export const customerPrices = pgTable('customer_prices', {
  customerId: text('customer_id').notNull().references(() => customers.id),
  sku: text('sku').notNull().references(() => products.sku),
  unitPrice: numeric('unit_price', { precision: 14, scale: 2 }).notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.customerId, t.sku] })]);

/**
 * A finance user's raise of a credit limit above `credit.selfServiceLimit`: it waits here until a second
 * finance user approves (the limit then changes) or rejects it. Four eyes on the customer's credit.
 */
export const customerCreditLimitRequests = pgTable('customer_credit_limit_requests', {
  id: serial('id').primaryKey(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  fromLimit: numeric('from_limit', { precision: 14, scale: 2 }).notNull(),
  toLimit: numeric('to_limit', { precision: 14, scale: 2 }).notNull(),
  reason: text('reason').notNull(),
  status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
  requestedBy: text('requested_by').notNull(),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  comment: text('comment'),
}, (t) => [index('customer_credit_limit_requests_customer_idx').on(t.customerId, t.status)]);
