import { calendarDay } from './dates';
import { applyPercentOff, compareDecimal, decimalText, mulCents, sumCents } from './money';

// SPEC §3: the most specific price present wins (contract over customer over list); promotions then
// apply on top of whichever base won, contract prices included. Each line records what priced it, so an
// order can explain its numbers long after prices and promotions have changed.

export type PriceRule = 'list' | 'customer' | 'contract';

export interface Promotion {
  id: string;
  /** null or absent: the promotion covers every product. */
  sku?: string | null;
  percentOff: string | number;
  validFrom: string;
  validTo: string;
}

export interface PriceInputs {
  sku: string;
  qty: number;
  listPriceCents: number;
  customerPriceCents?: number | null;
  contractPriceCents?: number | null;
  promotions: readonly Promotion[];
  /** The order date, YYYY-MM-DD. */
  on: string;
}

export interface PricedLine {
  sku: string;
  qty: number;
  rule: PriceRule;
  baseUnitCents: number;
  promotionId: string | null;
  percentOff: string | null;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  totalCents: number;
}

export function priceLine(input: PriceInputs): PricedLine {
  assertQty(input.qty);
  const { rule, baseUnitCents } = basePrice(input);
  const promotion = bestPromotion(input.promotions, input.sku, input.on);
  const percentOff = promotion ? decimalText(promotion.percentOff) : null;
  // Discount the unit price, then multiply: unit × qty on the document always equals the line total.
  const unitPriceCents = percentOff === null ? baseUnitCents : applyPercentOff(baseUnitCents, percentOff);
  return {
    sku: input.sku,
    qty: input.qty,
    rule,
    baseUnitCents,
    promotionId: promotion?.id ?? null,
    percentOff,
    unitPriceCents,
    lineTotalCents: mulCents(unitPriceCents, input.qty),
  };
}

export function priceOrder(lines: readonly PriceInputs[]): PricedOrder {
  const priced = lines.map(priceLine);
  return { lines: priced, totalCents: sumCents(...priced.map((line) => line.lineTotalCents)) };
}

function basePrice(input: PriceInputs): { rule: PriceRule; baseUnitCents: number } {
  const candidates: [PriceRule, number | null | undefined][] = [
    ['contract', input.contractPriceCents],
    ['customer', input.customerPriceCents],
    ['list', input.listPriceCents],
  ];
  for (const [rule, cents] of candidates) {
    if (cents === null || cents === undefined) continue;
    assertPrice(cents, rule);
    return { rule, baseUnitCents: cents };
  }
  throw new RangeError(`no price for sku "${input.sku}"`);
}

/**
 * Promotions do not stack: when several apply, the single largest percentage wins, because stacking
 * compounds discounts nobody priced together. Ties go to the sku-specific promotion, then to the smallest
 * id, so the result never depends on the order in which promotions were loaded.
 */
export function bestPromotion(promotions: readonly Promotion[], sku: string, on: string): Promotion | null {
  const day = calendarDay(on);
  let best: Promotion | null = null;
  for (const promotion of promotions) {
    if (appliesTo(promotion, sku, day) && (best === null || outranks(promotion, best))) best = promotion;
  }
  return best;
}

function appliesTo(promotion: Promotion, sku: string, day: number): boolean {
  const covers = coversAllProducts(promotion) || promotion.sku === sku;
  return covers && calendarDay(promotion.validFrom) <= day && day <= calendarDay(promotion.validTo);
}

function outranks(candidate: Promotion, current: Promotion): boolean {
  const byPercent = compareDecimal(candidate.percentOff, current.percentOff);
  if (byPercent !== 0) return byPercent > 0;
  const bySpecificity = Number(coversAllProducts(current)) - Number(coversAllProducts(candidate));
  if (bySpecificity !== 0) return bySpecificity > 0;
  return candidate.id < current.id;
}

function coversAllProducts(promotion: Promotion): boolean {
  return promotion.sku === null || promotion.sku === undefined;
}

function assertQty(qty: number): void {
  if (!Number.isSafeInteger(qty) || qty <= 0) throw new RangeError(`quantity must be a positive integer, got ${qty}`);
}

function assertPrice(cents: number, rule: PriceRule): void {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`${rule} price must be non-negative integer cents, got ${cents}`);
}
