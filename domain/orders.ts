import { parseDuration } from './duration';
import { groupedAmount } from './money';
import type { Actor } from './roles';
import type { Settings } from './settings';
import { processRules, refusalFor, type ActionRules, type Objection } from './state-machine';

// SPEC §5: the sales order's states and the human actions between them.
export const ORDER_STATES = [
  'received', 'priced', 'credit_hold', 'reserved', 'backordered', 'awaiting_payment', 'fulfilling',
  'provisioning', 'shipped', 'delivered', 'activated', 'invoiced', 'completed', 'cancelled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const PAYMENT_TERMS = ['prepaid', 'cod', 'credit'] as const;
export type PaymentTerms = (typeof PAYMENT_TERMS)[number];

export type ProductKind = 'goods' | 'service';

export const FINAL_ORDER_STATES: readonly OrderState[] = ['completed', 'cancelled'];
/** Everything before the goods leave the warehouse or a service goes live can still be undone. */
export const CANCELLABLE_ORDER_STATES: readonly OrderState[] = [
  'received', 'priced', 'credit_hold', 'reserved', 'backordered', 'awaiting_payment', 'fulfilling', 'provisioning',
];

export const ORDER_ACTIONS = {
  'credit-decision': { from: ['credit_hold'], roles: ['finance'] },
  payments: { from: ['awaiting_payment'], roles: ['finance'] },
  // A mixed order ships its goods once its services are active.
  shipments: { from: ['fulfilling', 'activated'], roles: ['fulfilment'] },
  delivered: { from: ['shipped'], roles: ['fulfilment'] },
  'activation-report': { from: ['provisioning'], roles: ['fulfilment'] },
  cancel: { from: CANCELLABLE_ORDER_STATES, roles: ['agent', 'supervisor', 'finance'] },
} as const satisfies ActionRules<OrderState, string>;
export type OrderAction = keyof typeof ORDER_ACTIONS;
export const ORDER_ACTION_NAMES = Object.keys(ORDER_ACTIONS) as OrderAction[];

/** What the rules need to know of an order beyond its state. */
export interface OrderFacts {
  state: OrderState;
  hasGoods: boolean;
  hasServices: boolean;
  /** A cancellation was accepted and its compensations are running. */
  cancelling: boolean;
  /** Who placed the order: under the four-eyes rule they may not decide its credit hold. */
  placedBy?: string;
  /** The four-eyes rule on credit decisions holds for this order (fourEyes.creditDecision when it started). */
  fourEyes?: boolean;
}

function check(o: OrderFacts, action: OrderAction, actor: Actor): Objection {
  const base = refusalFor(ORDER_ACTIONS, o.state, action, actor);
  if (base) return base;
  if (o.cancelling) return { kind: 'invalid_state', message: 'the order is being cancelled' };
  if (action === 'credit-decision' && o.fourEyes !== false && o.placedBy === actor.id) {
    return { kind: 'forbidden', message: 'four eyes: you placed this order, so another finance user decides its credit hold (setting fourEyes.creditDecision)' };
  }
  if (action === 'shipments' && !o.hasGoods) return { kind: 'invalid_state', message: 'the order has no goods to ship' };
  if (action === 'shipments' && o.hasServices && o.state !== 'activated') {
    return { kind: 'invalid_state', message: "the order's services are activated before its goods ship" };
  }
  return null;
}

const rules = processRules(ORDER_ACTION_NAMES, check);

/** The actions this actor can take on this order now. */
export const orderActions = rules.allowed;
export const orderRefusal = rules.refusal;

// ---- intake ------------------------------------------------------------------------------------

/** More than this per line is a data-entry slip or a tender, not an order line. */
export const MAX_LINE_QTY = 10_000;
export const MAX_LINES = 100;

export interface IntakeProblem {
  path: string;
  message: string;
}

/** Lines name each sku once, in quantities an order line may carry. */
export function intakeProblems(lines: readonly { sku: string; qty: number }[]): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (seen.has(line.sku)) problems.push({ path: `/lines/${i}/sku`, message: `sku ${line.sku} appears twice; put the whole quantity on one line` });
    seen.add(line.sku);
    if (line.qty > MAX_LINE_QTY) problems.push({ path: `/lines/${i}/qty`, message: `at most ${MAX_LINE_QTY} per line` });
  });
  return problems;
}

// ---- credit ------------------------------------------------------------------------------------

export interface CreditCheck {
  withinLimit: boolean;
  exposureCents: number;
  limitCents: number;
}

/**
 * A credit order past its credit check and not yet invoiced: it counts towards the customer's exposure
 * (orders finance approved out of a hold reach the exposure through these states).
 */
export const CREDIT_IN_FLIGHT: readonly OrderState[] = ['reserved', 'backordered', 'fulfilling', 'provisioning', 'shipped', 'delivered', 'activated'];

/** Credit terms: open receivables plus this order must stay within the customer's credit limit. */
export function checkCredit(input: { limitCents: number; openReceivablesCents: number; orderTotalCents: number }): CreditCheck {
  const exposureCents = input.openReceivablesCents + input.orderTotalCents;
  return { withinLimit: exposureCents <= input.limitCents, exposureCents, limitCents: input.limitCents };
}

/**
 * A customer without any credit line cannot be put on hold waiting for finance: there is nothing to
 * approve against, so such an order is refused at intake (pay prepaid or cash on delivery instead).
 */
export function hasCreditLine(limitCents: number): boolean {
  return limitCents > 0;
}

// ---- words ---------------------------------------------------------------------------------------

/** The static summary managers read in the Temporal UI, e.g. `Order SO-2026-000045 · 3 lines · 1 234.50 · credit`. */
/** A call-off is priced by its contract inside the process, so its summary names the contract instead of a total. */
export function orderSummary(o: { number: string; lineCount: number; totalCents: number; paymentTerms: PaymentTerms; contractId?: string | null }): string {
  const amount = o.contractId ? `call-off ${o.contractId}` : groupedAmount(o.totalCents);
  return `Order ${o.number} · ${o.lineCount} ${o.lineCount === 1 ? 'line' : 'lines'} · ${amount} · ${o.paymentTerms}`;
}

// ---- terms ---------------------------------------------------------------------------------------

/** The order.* settings a process starts with and keeps (SPEC: a running process keeps its values). */
export interface OrderTerms {
  creditHoldMs: number;
  backorderMs: number;
  activationMs: number;
  prepaidPaymentMs: number;
  invoiceDueDays: number;
  /** fourEyes.creditDecision when the order started; orders started before the setting lack it (on). */
  fourEyesCreditDecision?: boolean;
}

type OrderDurationKey = 'order.creditHoldTimeout' | 'order.backorderTimeout' | 'order.activationTimeout' | 'order.prepaidPaymentTimeout';

export function orderTermsFrom(settings: Pick<Settings, OrderDurationKey | 'order.invoiceDueDays'> & Partial<Pick<Settings, 'fourEyes.creditDecision'>>): OrderTerms {
  const ms = (key: OrderDurationKey) => parseDuration(String(settings[key]));
  return {
    creditHoldMs: ms('order.creditHoldTimeout'),
    backorderMs: ms('order.backorderTimeout'),
    activationMs: ms('order.activationTimeout'),
    prepaidPaymentMs: ms('order.prepaidPaymentTimeout'),
    invoiceDueDays: Number(settings['order.invoiceDueDays']),
    fourEyesCreditDecision: settings['fourEyes.creditDecision'] !== false,
  };
}
