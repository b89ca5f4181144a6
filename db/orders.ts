import { and, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { IntakeProblem, ProductKind } from '../domain/orders';
import { toCents } from '../domain/money';
import type { PriceInputs } from '../domain/pricing';
import type { CustomerTier } from '../domain/sla';
import type { Db } from './client';
import { customerPrices, customers, products, promotions } from './schema';

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
  const [[customer], productRows, customerPriceRows, promotionRows] = await Promise.all([
    db.select({ creditLimit: customers.creditLimit, tier: customers.tier }).from(customers).where(eq(customers.id, input.customerId)),
    db.select().from(products).where(inArray(products.sku, skus)),
    db.select().from(customerPrices).where(and(eq(customerPrices.customerId, input.customerId), inArray(customerPrices.sku, skus))),
    db.select().from(promotions).where(and(
      or(isNull(promotions.sku), inArray(promotions.sku, skus)), lte(promotions.validFrom, input.on), gte(promotions.validTo, input.on),
    )),
  ]);
  const problems: IntakeProblem[] = [];
  if (!customer) problems.push({ path: '/customerId', message: `customer ${input.customerId} does not exist` });
  const bySku = new Map(productRows.map((row) => [row.sku, row]));
  input.lines.forEach((line, i) => {
    if (!bySku.has(line.sku)) problems.push({ path: `/lines/${i}/sku`, message: `unknown sku ${line.sku}` });
  });
  if (problems.length > 0 || !customer) return { problems };
  const customerPrice = new Map(customerPriceRows.map((row) => [row.sku, toCents(row.unitPrice)]));
  const offers = promotionRows.map((p) => ({ id: p.id, sku: p.sku, percentOff: p.percentOff, validFrom: p.validFrom, validTo: p.validTo }));
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
