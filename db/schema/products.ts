import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const products = pgTable('products', {
  sku: text('sku').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['goods', 'service'] }).notNull(),
  listPrice: numeric('list_price', { precision: 14, scale: 2 }).notNull(),
  // Goods only; the checks make "never negative, never over-reserved" a database fact, not a hope.
  stockOnHand: integer('stock_on_hand').notNull().default(0),
  stockReserved: integer('stock_reserved').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('products_stock_non_negative', sql`${t.stockOnHand} >= 0 AND ${t.stockReserved} >= 0`),
  check('products_reserved_within_stock', sql`${t.stockReserved} <= ${t.stockOnHand}`),
  index('products_kind_idx').on(t.kind),
]);

// lpad would cut longer numbers short; the sequence stops at the width instead of repeating ids.
export const promotionSeq = pgSequence('promotion_seq', { maxValue: 999_999 });

export const promotions = pgTable('promotions', {
  id: text('id').primaryKey().default(sql`'PRM-' || lpad(nextval('promotion_seq')::text, 6, '0')`),
  sku: text('sku').references(() => products.sku),
  percentOff: numeric('percent_off', { precision: 5, scale: 2 }).notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('promotions_window', sql`${t.validFrom} <= ${t.validTo}`),
  check('promotions_percent', sql`${t.percentOff} > 0 AND ${t.percentOff} <= 100`),
  index('promotions_sku_idx').on(t.sku),
]);
