import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Reservation, StockLine } from '../domain/processes/order';
import type { Db, Tx } from './client';
import type { ProductRow } from './products';
import { orders, products, reservations } from './schema';

// Stock, and the lock protocol between an order waiting for stock and the restock that wakes it.
//
// An order holds all its lines or none: one conditional UPDATE per sku (stock_on_hand - stock_reserved
// must cover the line), in a fixed sku order so two orders never deadlock, plus a reservation row per
// (order, sku). When a line is short, the holds are rolled back and the short lines are marked
// `waiting` in a second transaction that first locks their product rows (SELECT … FOR UPDATE) and
// re-reads what is available. A restock is a single UPDATE of the product row, committed before it
// looks for `waiting` reservations. So either the restock committed first (the re-read sees the new
// stock and the order tries again) or it waits for the waiting rows to commit and then finds them and
// signals their orders. No wake-up is lost. The waking itself is a Temporal signal, sent by the caller.

/** stock_on_hand is a PostgreSQL integer. */
export const MAX_STOCK = 2_147_483_647;

/** Thrown inside a reservation transaction to roll back the holds already taken. */
class Shortage extends Error {
  constructor(readonly skus: string[]) {
    super('short stock');
  }
}

/** Holds every line or none: one conditional UPDATE per sku, so stock is never over-reserved. */
async function holdAll(db: Db, orderId: string, lines: StockLine[]): Promise<void> {
  await db.transaction(async (tx) => {
    const short: string[] = [];
    for (const line of lines) {
      // The (order, sku) row admits one hold: a retry or a concurrent twin finds it held and takes nothing.
      const [claimed] = await tx.insert(reservations).values({ orderId, sku: line.sku, qty: line.qty, status: 'held' })
        .onConflictDoUpdate({ target: [reservations.orderId, reservations.sku], set: { status: 'held', updatedAt: new Date() }, setWhere: eq(reservations.status, 'waiting') })
        .returning({ sku: reservations.sku });
      if (!claimed) continue;
      const [held] = await tx.update(products).set({ stockReserved: sql`${products.stockReserved} + ${line.qty}` })
        .where(and(eq(products.sku, line.sku), sql`${products.stockOnHand} - ${products.stockReserved} >= ${line.qty}`))
        .returning({ sku: products.sku });
      if (!held) short.push(line.sku);
    }
    if (short.length > 0) throw new Shortage(short);
  });
}

/**
 * Marks the short lines as waiting for a restock, under a lock on their product rows. A restock
 * updates those rows, so it either happened before (then the stock is there now: null, try again)
 * or it waits for this commit and then finds the waiting rows and wakes the order.
 */
async function waitForStock(tx: Tx, orderId: string, lines: StockLine[], skus: string[]) {
  const rows = await tx.select({ sku: products.sku, available: sql<number>`${products.stockOnHand} - ${products.stockReserved}` })
    .from(products).where(inArray(products.sku, skus)).orderBy(products.sku).for('update');
  const wanted = new Map(lines.map((line) => [line.sku, line.qty]));
  const short = rows.filter((row) => row.available < wanted.get(row.sku)!).map((row) => ({ sku: row.sku, requested: wanted.get(row.sku)!, available: row.available }));
  if (short.length === 0) return null;
  await tx.insert(reservations).values(short.map((s) => ({ orderId, sku: s.sku, qty: s.requested, status: 'waiting' as const }))).onConflictDoNothing();
  return short;
}

/** All lines or none; short lines are marked waiting so a restock can wake this order. */
export async function reserveStock(db: Db, orderId: string, stockLines: StockLine[]): Promise<Reservation> {
  // A fixed sku order keeps two orders locking the same products from deadlocking each other.
  const lines = [...stockLines].sort((a, b) => a.sku.localeCompare(b.sku));
  for (;;) {
    try {
      await holdAll(db, orderId, lines);
      return { reserved: true };
    } catch (error) {
      if (!(error instanceof Shortage)) throw error;
      const short = await db.transaction((tx) => waitForStock(tx, orderId, lines, error.skus));
      if (short) return { reserved: false, short };
    }
  }
}

/** Gives held stock back and stops waiting for a restock; releasing twice is a no-op. */
export async function releaseStock(db: Db, orderId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const released = await tx.update(reservations).set({ status: 'released', updatedAt: new Date() })
      .where(and(eq(reservations.orderId, orderId), eq(reservations.status, 'held'))).returning({ sku: reservations.sku, qty: reservations.qty });
    for (const line of released) {
      await tx.update(products).set({ stockReserved: sql`${products.stockReserved} - ${line.qty}` }).where(eq(products.sku, line.sku));
    }
    await tx.update(reservations).set({ status: 'released', updatedAt: new Date() })
      .where(and(eq(reservations.orderId, orderId), eq(reservations.status, 'waiting')));
  });
}

/** The order's held stock leaves the shelf (on hand and reserved both drop), once. */
export async function shipHeldStock(tx: Tx, orderId: string): Promise<void> {
  const shipped = await tx.update(reservations).set({ status: 'shipped', updatedAt: new Date() })
    .where(and(eq(reservations.orderId, orderId), eq(reservations.status, 'held'))).returning({ sku: reservations.sku, qty: reservations.qty });
  for (const line of shipped) {
    await tx.update(products).set({ stockOnHand: sql`${products.stockOnHand} - ${line.qty}`, stockReserved: sql`${products.stockReserved} - ${line.qty}` })
      .where(eq(products.sku, line.sku));
  }
}

export type RestockOutcome =
  | { product: ProductRow; waiting: Array<{ id: string; workflowId: string; sku: string }> }
  | { refused: 'unknown-product' | 'service' | 'too-much' };

/**
 * Goods arrived: stock on hand rises by `qty`, and the orders waiting for the sku are returned for the
 * caller to wake. The UPDATE commits on its own before the waiting orders are read (see the protocol
 * above). Unknown products, services and a stock beyond MAX_STOCK are refused, and nothing changes.
 */
export async function restock(db: Db, sku: string, qty: number): Promise<RestockOutcome> {
  const [product] = await db.select({ kind: products.kind }).from(products).where(eq(products.sku, sku));
  if (!product) return { refused: 'unknown-product' };
  if (product.kind !== 'goods') return { refused: 'service' };
  const row = await addStock(db, sku, qty);
  if (!row) return { refused: 'too-much' };
  return { product: row, waiting: await ordersWaitingFor(db, [sku]) };
}

/** Raises stock on hand, or answers null (and changes nothing) when it would pass MAX_STOCK. */
export async function addStock(db: Db | Tx, sku: string, qty: number): Promise<ProductRow | null> {
  const [row] = await db.update(products).set({ stockOnHand: sql`${products.stockOnHand} + ${qty}` })
    .where(and(eq(products.sku, sku), sql`${products.stockOnHand}::bigint + ${qty} <= ${MAX_STOCK}`)).returning();
  return row ?? null;
}

/** The orders backordered on any of these skus; read only after the stock they wait for has committed. */
export async function ordersWaitingFor(db: Db, skus: readonly string[]): Promise<Array<{ id: string; workflowId: string; sku: string }>> {
  if (skus.length === 0) return [];
  return db.selectDistinct({ id: orders.id, workflowId: orders.workflowId, sku: reservations.sku }).from(reservations)
    .innerJoin(orders, eq(orders.id, reservations.orderId))
    .where(and(inArray(reservations.sku, [...skus]), eq(reservations.status, 'waiting')));
}

/** Who waits for a sku, longest first: the orders a restock of it would wake, with the quantity each wants of it. */
export async function backordersOf(db: Db, sku: string): Promise<Array<{ orderId: string; customerId: string; qty: number; waitingSince: Date }>> {
  return db.select({ orderId: orders.id, customerId: orders.customerId, qty: reservations.qty, waitingSince: reservations.updatedAt }).from(reservations)
    .innerJoin(orders, eq(orders.id, reservations.orderId))
    .where(and(eq(reservations.sku, sku), eq(reservations.status, 'waiting')))
    .orderBy(asc(reservations.updatedAt), asc(orders.id));
}
