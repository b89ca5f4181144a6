import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { loadOrderQuote, type OrderQuote } from '../db/orders';
import { creditCommitments, customers, orderEvents, orderLines, orders, orderServices, products, reservations, shipments } from '../db/schema';
import { FailureType } from '../domain/failures';
import { fromCents, toCents } from '../domain/money';
import { checkCredit, CREDIT_IN_FLIGHT } from '../domain/orders';
import type { OrderEventRecord, OrderLineRecord, OrderRecord, Reservation, StockLine } from '../domain/processes/order';
import type { ActivityDeps } from './deps';

export type { OrderQuote, QuoteLine } from '../db/orders';

type ServiceStatus = (typeof orderServices.$inferSelect)['status'];

/** Thrown inside a reservation transaction to roll back the holds already taken. */
class Shortage extends Error {
  constructor(readonly skus: string[]) {
    super('short stock');
  }
}

export function createOrderActivities({ db }: ActivityDeps) {
  /** Moves an order's service lines from one provisioning step to the next; lines already past it stay. */
  async function moveServices(orderId: string, from: ServiceStatus[], to: ServiceStatus, activatedBy: string | null = null): Promise<void> {
    await db.update(orderServices).set({ status: to, updatedAt: new Date(), ...(activatedBy ? { activatedBy } : {}) })
      .where(and(eq(orderServices.orderId, orderId), inArray(orderServices.status, from)));
  }

  /** Holds every line or none: one conditional UPDATE per sku, so stock is never over-reserved. */
  async function holdAll(orderId: string, lines: StockLine[]): Promise<void> {
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

  return {
    /** Prices' inputs as of the order date; unknown customer or sku is a business refusal. */
    async loadOrderQuote(input: { customerId: string; lines: StockLine[]; on: string }): Promise<OrderQuote> {
      const quote = await loadOrderQuote(db, input);
      if ('problems' in quote) {
        throw ApplicationFailure.create({ type: FailureType.BusinessRule, message: quote.problems.map((p) => p.message).join('; '), details: [{ errors: quote.problems }], nonRetryable: true });
      }
      return quote;
    },

    /**
     * The customer's credit position for this order, and, when the order fits, its commitment. Exposure
     * is the unpaid part of open invoices plus every other credit order let through and not yet invoiced
     * or cancelled (a cleared commitment, or an order finance approved that has moved on). The customer's
     * row lock serialises the checks of one customer, so two simultaneous orders cannot both fit into
     * room for one. A retry finds its own commitment and answers the same.
     */
    async loadCreditPosition(input: { customerId: string; orderId: string; orderTotalCents: number }): Promise<{ limitCents: number; openReceivablesCents: number }> {
      return db.transaction(async (tx) => {
        const [customer] = await tx.select({ creditLimit: customers.creditLimit }).from(customers).where(eq(customers.id, input.customerId)).for('update');
        const inFlight = sql.join(CREDIT_IN_FLIGHT.map((state) => sql`${state}`), sql`, `);
        const [exposure] = await tx.execute<{ receivables: string; committed: string }>(sql`
          select
            (select coalesce(sum(amount - paid_amount), 0) from invoices
              where customer_id = ${input.customerId} and status = 'open')::numeric(14,2)::text as receivables,
            ((select coalesce(sum(c.amount), 0) from credit_commitments c left join orders o on o.id = c.order_id
               where c.customer_id = ${input.customerId} and c.order_id <> ${input.orderId}
                 and (o.id is null or (o.invoice_id is null and o.status not in ('invoiced', 'completed', 'cancelled'))))
             + (select coalesce(sum(o.total), 0) from orders o
               where o.customer_id = ${input.customerId} and o.id <> ${input.orderId} and o.payment_terms = 'credit'
                 and o.invoice_id is null and o.status in (${inFlight})
                 and not exists (select 1 from credit_commitments c where c.order_id = o.id)))::numeric(14,2)::text as committed`);
        const position = { limitCents: toCents(customer!.creditLimit), openReceivablesCents: toCents(exposure!.receivables) + toCents(exposure!.committed) };
        if (checkCredit({ ...position, orderTotalCents: input.orderTotalCents }).withinLimit) {
          await tx.insert(creditCommitments).values({ orderId: input.orderId, customerId: input.customerId, amount: fromCents(input.orderTotalCents) }).onConflictDoNothing();
        }
        return position;
      });
    },

    /**
     * Writes the order row, its event and (once priced) its lines in one transaction. Retries and late
     * arrivals are harmless: the event's (order, seq) key admits it once, and the row only moves forward.
     */
    async recordOrder(input: { order: OrderRecord; event: OrderEventRecord; lines?: OrderLineRecord[] }): Promise<void> {
      const { order: o, event: e } = input;
      const changing = {
        status: o.status, total: o.totalCents === null ? null : fromCents(o.totalCents), invoiceId: o.invoiceId, paymentId: o.paymentId,
        cancelReason: o.cancelReason, updatedAt: new Date(e.at), closedAt: o.closedAt === null ? null : new Date(o.closedAt), lastSeq: e.seq,
      };
      await db.transaction(async (tx) => {
        await tx.insert(orders).values({
          id: o.id, workflowId: o.workflowId, customerId: o.customerId, paymentTerms: o.paymentTerms, contractId: o.contractId,
          deliveryAddress: o.deliveryAddress, createdBy: o.createdBy, createdAt: new Date(o.createdAt), ...changing,
        }).onConflictDoUpdate({ target: orders.id, set: changing, setWhere: sql`${orders.lastSeq} < ${e.seq}` });
        if (input.lines?.length) {
          await tx.insert(orderLines).values(input.lines.map((line, i) => ({
            orderId: o.id, lineNo: i + 1, sku: line.sku, kind: line.kind, qty: line.qty, priceRule: line.rule,
            baseUnitPrice: fromCents(line.baseUnitCents), promotionId: line.promotionId, percentOff: line.percentOff,
            unitPrice: fromCents(line.unitPriceCents), lineTotal: fromCents(line.lineTotalCents),
          }))).onConflictDoNothing();
        }
        await tx.insert(orderEvents).values({ orderId: o.id, ...e, at: new Date(e.at) }).onConflictDoNothing();
      });
    },

    /** All lines or none; short lines are marked waiting so a restock can wake this order. */
    async reserveStock(input: { orderId: string; lines: StockLine[] }): Promise<Reservation> {
      // A fixed sku order keeps two orders locking the same products from deadlocking each other.
      const lines = [...input.lines].sort((a, b) => a.sku.localeCompare(b.sku));
      for (;;) {
        try {
          await holdAll(input.orderId, lines);
          return { reserved: true };
        } catch (error) {
          if (!(error instanceof Shortage)) throw error;
          const short = await db.transaction((tx) => waitForStock(tx, input.orderId, lines, error.skus));
          if (short) return { reserved: false, short };
        }
      }
    },

    /** Compensation: gives held stock back and stops waiting for a restock; releasing twice is a no-op. */
    async releaseStock(input: { orderId: string }): Promise<void> {
      await db.transaction(async (tx) => {
        const released = await tx.update(reservations).set({ status: 'released', updatedAt: new Date() })
          .where(and(eq(reservations.orderId, input.orderId), eq(reservations.status, 'held'))).returning({ sku: reservations.sku, qty: reservations.qty });
        for (const line of released) {
          await tx.update(products).set({ stockReserved: sql`${products.stockReserved} - ${line.qty}` }).where(eq(products.sku, line.sku));
        }
        await tx.update(reservations).set({ status: 'released', updatedAt: new Date() })
          .where(and(eq(reservations.orderId, input.orderId), eq(reservations.status, 'waiting')));
      });
    },

    /** The parcel leaves: the shipment is recorded and the held stock leaves the shelf, once. */
    async recordShipment(input: { orderId: string; carrier: string; trackingNo: string; shippedBy: string; at: number }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.insert(shipments).values({ orderId: input.orderId, carrier: input.carrier, trackingNo: input.trackingNo, shippedBy: input.shippedBy, shippedAt: new Date(input.at) })
          .onConflictDoNothing();
        const shipped = await tx.update(reservations).set({ status: 'shipped', updatedAt: new Date() })
          .where(and(eq(reservations.orderId, input.orderId), eq(reservations.status, 'held'))).returning({ sku: reservations.sku, qty: reservations.qty });
        for (const line of shipped) {
          await tx.update(products).set({ stockOnHand: sql`${products.stockOnHand} - ${line.qty}`, stockReserved: sql`${products.stockReserved} - ${line.qty}` })
            .where(eq(products.sku, line.sku));
        }
      });
    },

    async recordDelivery(input: { orderId: string; deliveredBy: string; at: number }): Promise<void> {
      await db.update(shipments).set({ deliveredAt: new Date(input.at), deliveredBy: input.deliveredBy })
        .where(and(eq(shipments.orderId, input.orderId), sql`${shipments.deliveredAt} is null`));
    },

    // Services are provisioned in three steps; each moves only lines still at the step before it.
    async allocateServices(input: { orderId: string; lines: StockLine[] }): Promise<void> {
      await db.insert(orderServices).values(input.lines.map((line) => ({ orderId: input.orderId, sku: line.sku, qty: line.qty, status: 'allocated' as const })))
        .onConflictDoNothing();
    },
    async configureServices(input: { orderId: string }): Promise<void> {
      await moveServices(input.orderId, ['allocated'], 'configured');
    },
    async requestActivation(input: { orderId: string }): Promise<void> {
      await moveServices(input.orderId, ['configured'], 'activation_requested');
    },
    async activateServices(input: { orderId: string; activatedBy: string }): Promise<void> {
      await moveServices(input.orderId, ['activation_requested'], 'active', input.activatedBy);
    },
    /** Compensation: services not yet live are handed back. */
    async releaseServices(input: { orderId: string }): Promise<void> {
      await moveServices(input.orderId, ['allocated', 'configured', 'activation_requested'], 'released');
    },
  };
}
