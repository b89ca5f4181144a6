import type { ContractPrice, ContractType, QuantityTarget } from './contracts';
import { mulCents, sumCents } from './money';
import { priceLine, type Promotion } from './pricing';

// SPEC §5/§6: an order calls off an active contract. These rules price the call-off at contract prices
// and check it against what remains; activities/contracts.ts applies them under a row lock so that
// concurrent call-offs see each other.

export interface CallOffLine {
  sku: string;
  qty: number;
}

export interface PricedCallOffLine extends CallOffLine {
  /** What the order line charges per unit (the contract price less any promotion): what the contract is drawn down by. */
  unitPriceCents: number;
  /**
   * The contract's own price, before promotions: the base the order is priced from. Absent on
   * call-offs reserved before promotions were applied to the draw-down, whose unitPriceCents is this.
   */
  contractUnitCents?: number;
}

export interface CallOffTerms {
  type: ContractType;
  targetValueCents: number;
  targetQuantities: QuantityTarget[] | null;
  prices: ContractPrice[];
}

/** What reserved and consumed call-offs have drawn so far. */
export interface Consumption {
  valueCents: number;
  quantities: Record<string, number>;
}

export function consumptionOf(callOffs: ReadonlyArray<{ lines: readonly PricedCallOffLine[] }>): Consumption {
  const quantities: Record<string, number> = {};
  let valueCents = 0;
  for (const line of callOffs.flatMap((c) => c.lines)) {
    quantities[line.sku] = (quantities[line.sku] ?? 0) + line.qty;
    valueCents = sumCents(valueCents, mulCents(line.unitPriceCents, line.qty));
  }
  return { valueCents, quantities };
}

/**
 * Prices each line at the contract's price. A value contract with a price list covers exactly the skus
 * on it; a value contract without one covers every product at its list price (the contract then caps
 * spend, not the range). A quantity contract covers the skus of its targets, at the price they were valued at.
 * Returns a refusal message for a sku the contract does not cover.
 */
export function priceCallOff(terms: CallOffTerms, lines: readonly CallOffLine[], listPriceCents: (sku: string) => number | null): PricedCallOffLine[] | string {
  const priced: PricedCallOffLine[] = [];
  for (const line of lines) {
    const unitPriceCents = unitPriceOf(terms, line.sku, listPriceCents);
    if (unitPriceCents === null) return `the contract does not cover product ${line.sku}`;
    priced.push({ ...line, unitPriceCents });
  }
  return priced;
}

function unitPriceOf(terms: CallOffTerms, sku: string, listPriceCents: (sku: string) => number | null): number | null {
  if (terms.type === 'quantity') return terms.targetQuantities?.find((t) => t.sku === sku)?.unitPriceCents ?? null;
  if (terms.prices.length === 0) return listPriceCents(sku);
  return terms.prices.find((p) => p.sku === sku)?.unitPriceCents ?? null;
}

/**
 * Applies the day's promotions to contract-priced lines with the order's own pricing (domain/pricing.ts),
 * so the contract is drawn down by exactly what each order line charges, and the order, priced from
 * contractUnitCents, applies the promotion once.
 */
export function chargeCallOff(lines: readonly PricedCallOffLine[], promotions: readonly Promotion[], on: string): PricedCallOffLine[] {
  return lines.map((line) => {
    const charged = priceLine({ sku: line.sku, qty: line.qty, listPriceCents: line.unitPriceCents, contractPriceCents: line.unitPriceCents, promotions, on });
    return { sku: line.sku, qty: line.qty, unitPriceCents: charged.unitPriceCents, contractUnitCents: line.unitPriceCents };
  });
}

export const totalOf = (lines: readonly PricedCallOffLine[]) => sumCents(...lines.map((l) => mulCents(l.unitPriceCents, l.qty)));

/** Why the call-off does not fit in what remains, or null when it fits. */
export function exceedsRemaining(terms: CallOffTerms, drawn: Consumption, lines: readonly PricedCallOffLine[]): string | null {
  if (terms.type === 'value') {
    const remaining = terms.targetValueCents - drawn.valueCents;
    const total = totalOf(lines);
    return total > remaining ? `the contract has ${remaining} cents of value left; the call-off needs ${total}` : null;
  }
  const wanted = consumptionOf([{ lines }]).quantities;
  for (const [sku, qty] of Object.entries(wanted)) {
    const left = remainingQuantity(terms, drawn, sku);
    if (qty > left) return `the contract has ${left} of ${sku} left; the call-off needs ${qty}`;
  }
  return null;
}

function remainingQuantity(terms: CallOffTerms, drawn: Consumption, sku: string): number {
  return (terms.targetQuantities?.find((t) => t.sku === sku)?.qty ?? 0) - (drawn.quantities[sku] ?? 0);
}

export interface Remaining {
  valueCents: number;
  quantities: CallOffLine[] | null;
}

export function remainingOf(terms: CallOffTerms, drawn: Consumption): Remaining {
  return {
    valueCents: Math.max(0, terms.targetValueCents - drawn.valueCents),
    quantities: terms.targetQuantities?.map((t) => ({ sku: t.sku, qty: Math.max(0, remainingQuantity(terms, drawn, t.sku)) })) ?? null,
  };
}

/** A contract is fully consumed when nothing of its target is left. */
export function isFullyConsumed(terms: CallOffTerms, consumed: Consumption): boolean {
  const left = remainingOf(terms, consumed);
  return left.quantities ? left.quantities.every((q) => q.qty === 0) : left.valueCents === 0;
}
