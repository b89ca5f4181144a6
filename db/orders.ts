import { and, eq, inArray, sql } from 'drizzle-orm';
import { fromCents, toCents } from '../domain/money';
import { checkCredit, CREDIT_IN_FLIGHT, type IntakeProblem, type ProductKind } from '../domain/orders';
import type { PriceInputs } from '../domain/pricing';
import type { OrderEventRecord, OrderLineRecord, OrderRecord, StockLine } from '../domain/processes/order';
import type { CustomerTier } from '../domain/sla';
import { orderTasks } from '../domain/tasks';
import type { Db } from './client';
import { creditCommitments, customerPrices, customers, orderEvents, orderLines, orders, orderServices, products, shipments } from './schema';
import { promotionsOn } from './products';
import { shipHeldStock } from './stock';
import { replaceTasks } from './tasks';

export interface QuoteLine extends PriceInputs {
  kind: ProductKind;
}

export interface OrderQuote {
  creditLimitCents: number;
  customerTier: CustomerTier;
  lines: QuoteLine[];
}

/**
 * Everything pricing needs for an order, as of `on` (YYYY-MM-DD): each line's list and customer price
 * and the promotions valid that day. The API reads it to refuse bad input before a process starts; the
 * workflow reads it again to price the order it keeps. Unknown customers and skus come back as problems.
 */
export async function loadOrderQuote(
  db: Db,
  input: { customerId: string; lines: readonly { sku: string; qty: number }[]; on: string },
): Promise<OrderQuote | { problems: IntakeProblem[] }> {
  const skus = input.lines.map((line) => line.sku);
  const [[customer], productRows, customerPriceRows, offers] = await Promise.all([
    db.select({ creditLimit: customers.creditLimit, tier: customers.tier }).from(customers).where(eq(customers.id, input.customerId)),
    db.select().from(products).where(inArray(products.sku, skus)),
    db.select().from(customerPrices).where(and(eq(customerPrices.customerId, input.customerId), inArray(customerPrices.sku, skus))),
    promotionsOn(db, skus, input.on),
  ]);
  const problems: IntakeProblem[] = [];
  if (!customer) problems.push({ path: '/customerId', message: `customer ${input.customerId} does not exist` });
  const bySku = new Map(productRows.map((row) => [row.sku, row]));
  input.lines.forEach((line, i) => {
    if (!bySku.has(line.sku)) problems.push({ path: `/lines/${i}/sku`, message: `unknown sku ${line.sku}` });
  });
  if (problems.length > 0 || !customer) return { problems };
  const customerPrice = new Map(customerPriceRows.map((row) => [row.sku, toCents(row.unitPrice)]));
  return {
    creditLimitCents: toCents(customer.creditLimit),
    customerTier: customer.tier,
    lines: input.lines.map((line) => {
      const product = bySku.get(line.sku)!;
      return {
        sku: line.sku, qty: line.qty, kind: product.kind, listPriceCents: toCents(product.listPrice),
        customerPriceCents: customerPrice.get(line.sku) ?? null, promotions: offers, on: input.on,
      };
    }),
  };
}

/**
 * The customer's credit position for this order, and, when the order fits, its commitment. Exposure
 * is the unpaid part of open invoices (less what credit notes settled) plus every other credit order let through and not yet invoiced
 * or cancelled (a cleared commitment, or an order finance approved that has moved on). The customer's
 * row lock serialises the checks of one customer, so two simultaneous orders cannot both fit into
 * room for one. A retry finds its own commitment and answers the same.
 */
export async function checkCreditAndCommit(
  db: Db,
  input: { customerId: string; orderId: string; orderTotalCents: number },
): Promise<{ limitCents: number; openReceivablesCents: number }> {
  return db.transaction(async (tx) => {
    const [customer] = await tx.select({ creditLimit: customers.creditLimit }).from(customers).where(eq(customers.id, input.customerId)).for('update');
    const inFlight = sql.join(CREDIT_IN_FLIGHT.map((state) => sql`${state}`), sql`, `);
    const [exposure] = await tx.execute<{ receivables: string; committed: string }>(sql`
      select
        (select coalesce(sum(amount - paid_amount - credited_amount), 0) from invoices
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
}

/**
 * Writes the order row, its event, (once priced) its lines and its open tasks in one transaction.
 * Retries and late arrivals are harmless: the event's (order, seq) key admits it once, and the row and
 * its tasks only move forward.
 */
export async function recordOrder(db: Db, input: { order: OrderRecord; event: OrderEventRecord; lines?: OrderLineRecord[] }): Promise<void> {
  const { order: o, event: e } = input;
  const changing = {
    status: o.status, total: o.totalCents === null ? null : fromCents(o.totalCents), invoiceId: o.invoiceId, paymentId: o.paymentId,
    cancelReason: o.cancelReason, updatedAt: new Date(e.at), closedAt: o.closedAt === null ? null : new Date(o.closedAt), lastSeq: e.seq,
  };
  await db.transaction(async (tx) => {
    const moved = await tx.insert(orders).values({
      id: o.id, workflowId: o.workflowId, customerId: o.customerId, paymentTerms: o.paymentTerms, contractId: o.contractId,
      deliveryAddress: o.deliveryAddress, createdBy: o.createdBy, createdAt: new Date(o.createdAt), ...changing,
    }).onConflictDoUpdate({ target: orders.id, set: changing, setWhere: sql`${orders.lastSeq} < ${e.seq}` }).returning({ id: orders.id });
    if (moved.length > 0) await replaceTasks(tx, orderTasks(o, e.at), e.at);
    if (input.lines?.length) {
      await tx.insert(orderLines).values(input.lines.map((line, i) => ({
        orderId: o.id, lineNo: i + 1, sku: line.sku, kind: line.kind, qty: line.qty, priceRule: line.rule,
        baseUnitPrice: fromCents(line.baseUnitCents), promotionId: line.promotionId, percentOff: line.percentOff,
        unitPrice: fromCents(line.unitPriceCents), lineTotal: fromCents(line.lineTotalCents),
      }))).onConflictDoNothing();
    }
    await tx.insert(orderEvents).values({ orderId: o.id, ...e, at: new Date(e.at) }).onConflictDoNothing();
  });
}

/** The parcel leaves: the shipment is recorded and the held stock leaves the shelf, once. */
export async function recordShipment(db: Db, input: { orderId: string; carrier: string; trackingNo: string; shippedBy: string; at: number }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(shipments).values({ orderId: input.orderId, carrier: input.carrier, trackingNo: input.trackingNo, shippedBy: input.shippedBy, shippedAt: new Date(input.at) })
      .onConflictDoNothing();
    await shipHeldStock(tx, input.orderId);
  });
}

/** The first delivery confirmation counts; later ones change nothing. */
export async function recordDelivery(db: Db, input: { orderId: string; deliveredBy: string; at: number }): Promise<void> {
  await db.update(shipments).set({ deliveredAt: new Date(input.at), deliveredBy: input.deliveredBy })
    .where(and(eq(shipments.orderId, input.orderId), sql`${shipments.deliveredAt} is null`));
}

type ServiceStatus = (typeof orderServices.$inferSelect)['status'];

/** Moves an order's service lines from one provisioning step to the next; lines already past it stay. */
async function moveServices(db: Db, orderId: string, from: ServiceStatus[], to: ServiceStatus, activatedBy: string | null = null): Promise<void> {
  await db.update(orderServices).set({ status: to, updatedAt: new Date(), ...(activatedBy ? { activatedBy } : {}) })
    .where(and(eq(orderServices.orderId, orderId), inArray(orderServices.status, from)));
}

// Services are provisioned in three steps; each moves only lines still at the step before it.
export async function allocateServices(db: Db, orderId: string, lines: StockLine[]): Promise<void> {
  await db.insert(orderServices).values(lines.map((line) => ({ orderId, sku: line.sku, qty: line.qty, status: 'allocated' as const })))
    .onConflictDoNothing();
}
export const configureServices = (db: Db, orderId: string) => moveServices(db, orderId, ['allocated'], 'configured');
export const requestActivation = (db: Db, orderId: string) => moveServices(db, orderId, ['configured'], 'activation_requested');
export const activateServices = (db: Db, orderId: string, activatedBy: string) => moveServices(db, orderId, ['activation_requested'], 'active', activatedBy);
/** Services not yet live are handed back. */
export const releaseServices = (db: Db, orderId: string) => moveServices(db, orderId, ['allocated', 'configured', 'activation_requested'], 'released');
