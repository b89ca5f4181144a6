import { addDays, calendarDay } from './dates';
import { mulCents, sumCents } from './money';
import type { PaymentTerms, ProductKind } from './orders';
import { processRules, refusalFor, type ActionRules, type Objection } from './state-machine';
import type { Actor } from './roles';

// Returns (RMA) and credit notes: delivered goods come back within the return window, resaleable ones go
// back on the shelf, and a credit note at the prices charged reduces what the customer owes.

export const RETURN_STATES = ['awaiting_goods', 'credited'] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

export const RETURN_CONDITIONS = ['resaleable', 'damaged'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

export const RETURN_ACTIONS = {
  received: { from: ['awaiting_goods'], roles: ['fulfilment'] },
} as const satisfies ActionRules<ReturnState, string>;
export type ReturnAction = keyof typeof RETURN_ACTIONS;
export const RETURN_ACTION_NAMES = Object.keys(RETURN_ACTIONS) as ReturnAction[];

const rules = processRules<{ state: ReturnState }, ReturnAction>(RETURN_ACTION_NAMES, (facts, action, actor: Actor): Objection => refusalFor(RETURN_ACTIONS, facts.state, action, actor));
export const returnActions = rules.allowed;
export const returnRefusal = rules.refusal;

/** An order line as a return sees it: what was charged, and how much of it has come back already. */
export interface ReturnableLine {
  sku: string;
  kind: ProductKind;
  qty: number;
  unitPriceCents: number;
  returnedQty: number;
}

export interface ReturnRequestLine {
  sku: string;
  qty: number;
}

export interface PricedReturnLine extends ReturnRequestLine {
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface ReturnFacts {
  lines: readonly ReturnableLine[];
  /** The delivery day (YYYY-MM-DD), or null while the goods have not been delivered. */
  deliveredOn: string | null;
  today: string;
  windowDays: number;
}

/** Why a return cannot be taken: 409 for an order whose goods have not arrived, 422 for what the rules refuse. */
export type ReturnProblem =
  | { kind: 'not_delivered'; message: string }
  | { kind: 'refused'; message: string; errors: Array<{ path: string; message: string }> };

/**
 * Checks a return request against the order. A service line is refused first, whatever the order's
 * state: an activated service ends by termination, never by a return. Then the goods must have been
 * delivered, the window (counted in days from the delivery day, that day being day 0) still open, and
 * each quantity at most what was delivered less what earlier returns took back.
 */
export function returnProblem(request: readonly ReturnRequestLine[], facts: ReturnFacts): ReturnProblem | null {
  const errors: Array<{ path: string; message: string }> = [];
  const bySku = new Map(facts.lines.map((line) => [line.sku, line]));
  const seen = new Set<string>();
  request.forEach((wanted, i) => {
    const line = bySku.get(wanted.sku);
    if (!line) errors.push({ path: `/lines/${i}/sku`, message: `the order has no line for ${wanted.sku}` });
    else if (line.kind === 'service') errors.push({ path: `/lines/${i}/sku`, message: `${wanted.sku} is a service: an activated service is ended by terminating it, not returned` });
    else if (seen.has(wanted.sku)) errors.push({ path: `/lines/${i}/sku`, message: `sku ${wanted.sku} appears twice; put the whole quantity on one line` });
    seen.add(wanted.sku);
  });
  if (errors.length > 0) return refused(errors);
  if (facts.deliveredOn === null) return { kind: 'not_delivered', message: 'the order has not been delivered; goods can be returned once they have arrived' };
  const lastDay = addDays(facts.deliveredOn, facts.windowDays);
  if (calendarDay(facts.today) > calendarDay(lastDay)) {
    return refused([{ path: '/lines', message: `the return window of ${facts.windowDays} days from delivery on ${facts.deliveredOn} closed on ${lastDay}` }]);
  }
  request.forEach((wanted, i) => {
    const line = bySku.get(wanted.sku)!;
    const left = line.qty - line.returnedQty;
    if (wanted.qty > left) errors.push({ path: `/lines/${i}/qty`, message: `${wanted.sku}: ${line.qty} delivered, ${line.returnedQty} already returned, at most ${left} can be returned` });
  });
  return errors.length > 0 ? refused(errors) : null;
}

function refused(errors: Array<{ path: string; message: string }>): ReturnProblem {
  return { kind: 'refused', message: errors.map((e) => e.message).join('; '), errors };
}

/** The returned lines at the prices the order charged for them. */
export function priceReturn(request: readonly ReturnRequestLine[], lines: readonly ReturnableLine[]): { lines: PricedReturnLine[]; totalCents: number } {
  const priced = request.map((wanted) => {
    const unitPriceCents = lines.find((line) => line.sku === wanted.sku)!.unitPriceCents;
    return { sku: wanted.sku, qty: wanted.qty, unitPriceCents, lineTotalCents: mulCents(unitPriceCents, wanted.qty) };
  });
  return { lines: priced, totalCents: sumCents(...priced.map((line) => line.lineTotalCents)) };
}

/** How a credit note settles: against the order's open invoice first, the rest as a credit balance; paid-up-front orders are refunded. */
export interface CreditSettlement {
  appliedToInvoiceCents: number;
  creditBalanceCents: number;
  refundCents: number;
}

export function settleCredit(amountCents: number, paymentTerms: PaymentTerms, invoiceOutstandingCents: number): CreditSettlement {
  if (paymentTerms !== 'credit') return { appliedToInvoiceCents: 0, creditBalanceCents: 0, refundCents: amountCents };
  const applied = Math.min(amountCents, Math.max(0, invoiceOutstandingCents));
  return { appliedToInvoiceCents: applied, creditBalanceCents: amountCents - applied, refundCents: 0 };
}

