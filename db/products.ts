import { and, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Promotion } from '../domain/pricing';
import type { Db, Tx } from './client';
import { products, promotions } from './schema';

export type ProductRow = typeof products.$inferSelect;

export async function findProduct(db: Db | Tx, sku: string): Promise<ProductRow | null> {
  const [row] = await db.select().from(products).where(eq(products.sku, sku));
  return row ?? null;
}

/** A new product, or null when the sku exists already. */
export async function createProduct(db: Db | Tx, fields: Pick<typeof products.$inferInsert, 'sku' | 'name' | 'kind' | 'listPrice' | 'stockOnHand'>): Promise<ProductRow | null> {
  const [row] = await db.insert(products).values(fields).onConflictDoNothing().returning();
  return row ?? null;
}

/** Renames or reprices a product; null for an unknown sku. An empty change reads the product. */
export async function updateProduct(db: Db | Tx, sku: string, changes: { name?: string; listPrice?: string }): Promise<ProductRow | null> {
  if (Object.keys(changes).length === 0) return findProduct(db, sku);
  const [row] = await db.update(products).set(changes).where(eq(products.sku, sku)).returning();
  return row ?? null;
}

export async function createPromotion(db: Db | Tx, fields: { sku: string | null; percentOff: string; validFrom: string; validTo: string; createdBy: string }) {
  const [row] = await db.insert(promotions).values(fields).returning();
  return row!;
}

/** The promotions valid on `on` (YYYY-MM-DD) that can touch these skus: what pricing applies to an order or a call-off of that day. */
export async function promotionsOn(db: Db | Tx, skus: readonly string[], on: string): Promise<Promotion[]> {
  const rows = await db.select().from(promotions).where(and(
    or(isNull(promotions.sku), inArray(promotions.sku, [...skus])), lte(promotions.validFrom, on), gte(promotions.validTo, on),
  ));
  return rows.map((p) => ({ id: p.id, sku: p.sku, percentOff: p.percentOff, validFrom: p.validFrom, validTo: p.validTo }));
}
