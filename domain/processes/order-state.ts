import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { amountAttribute, fromCents } from '../money';
import { orderActions, type CreditCheck, type OrderAction, type OrderFacts, type OrderState, type OrderTerms } from '../orders';
import type { Actor } from '../roles';
import { CrmAmount, CrmDueAt, CrmStatus } from '../search-attributes';
import type { OrderInput, OrderLineRecord, OrderRecord, OrderView, StockLine } from './order';

// The sales order's state as one object, and every change to it as a pure function: the workflow
// (workflows/order.ts) holds one OrderProcess, applies these and records the result. The view, the
// database record, the search attributes and the current details are read off the same object.

/** The actor of what the order does by itself. */
export const ORDER_PROCESS: Actor = { id: 'system', name: 'Order process', roles: [] };
export const CARRIER: Actor = { id: 'carrier', name: 'Carrier webhook', roles: ['fulfilment'] };
export const PROVISIONING: Actor = { id: 'provisioning', name: 'Provisioning platform', roles: ['fulfilment'] };

export interface OrderProcess {
  status: OrderState;
  lines: OrderLineRecord[];
  totalCents: number | null;
  credit: CreditCheck | null;
  backorderedSkus: string[];
  invoiceId: string | null;
  paymentId: string | null;
  shipment: { carrier: string; trackingNo: string } | null;
  /** Activation was not confirmed in time: a person reports it. */
  activationReportOpen: boolean;
  /** The end of the wait the order is in, if it has one. */
  waitingUntil: number | null;
  cancelReason: string | null;
  createdAt: number;
  closedAt: number | null;
  /** The order.* settings, loaded at intake; null until then. */
  terms: OrderTerms | null;
  // External events (signals): what the process waits for besides people.
  restocks: number;
  carrierDelivered: boolean;
  activationConfirmed: boolean;
}

export function receiveOrder(createdAt: number): OrderProcess {
  return {
    status: 'received', lines: [], totalCents: null, credit: null, backorderedSkus: [], invoiceId: null, paymentId: null, shipment: null,
    activationReportOpen: false, waitingUntil: null, cancelReason: null, createdAt, closedAt: null, terms: null,
    restocks: 0, carrierDelivered: false, activationConfirmed: false,
  };
}

// ---- changes -----------------------------------------------------------------------------------

export const withTerms = (o: OrderProcess, terms: OrderTerms): OrderProcess => ({ ...o, terms });
/** A step that changes only the status. */
export const enter = (o: OrderProcess, status: OrderState): OrderProcess => ({ ...o, status });

export function priced(o: OrderProcess, lines: OrderLineRecord[], totalCents: number): OrderProcess {
  return { ...o, status: 'priced', lines, totalCents };
}

export const creditChecked = (o: OrderProcess, credit: CreditCheck): OrderProcess => ({ ...o, credit });

export function backordered(o: OrderProcess, shortSkus: string[]): OrderProcess {
  return { ...o, status: 'backordered', backorderedSkus: shortSkus };
}

/** The goods are held (or there are none to hold). */
export function reserved(o: OrderProcess): OrderProcess {
  return { ...o, status: 'reserved', backorderedSkus: [] };
}

export const paid = (o: OrderProcess, paymentId: string): OrderProcess => ({ ...o, paymentId });
export const invoiceIssued = (o: OrderProcess, invoiceId: string): OrderProcess => ({ ...o, invoiceId });

export const waitingUntil = (o: OrderProcess, until: number | null): OrderProcess => ({ ...o, waitingUntil: until });

export const openActivationTask = (o: OrderProcess): OrderProcess => ({ ...o, activationReportOpen: true });

export function activated(o: OrderProcess): OrderProcess {
  return { ...o, status: 'activated', activationReportOpen: false };
}

export function shipped(o: OrderProcess, shipment: { carrier: string; trackingNo: string }): OrderProcess {
  return { ...o, status: 'shipped', shipment };
}

export function completed(o: OrderProcess, now: number): OrderProcess {
  return { ...o, status: 'completed', closedAt: now };
}

/** Cancelled (after the compensations ran): nothing is awaited any more. */
export function cancelled(o: OrderProcess, reason: string, now: number): OrderProcess {
  return { ...o, status: 'cancelled', cancelReason: reason, closedAt: now, waitingUntil: null, backorderedSkus: [], activationReportOpen: false };
}

export const restocked = (o: OrderProcess): OrderProcess => ({ ...o, restocks: o.restocks + 1 });

/** The carrier's report counts only for this order's shipment. */
export function carrierReported(o: OrderProcess, trackingNo: string): OrderProcess {
  return o.shipment?.trackingNo === trackingNo ? { ...o, carrierDelivered: true } : o;
}

export const activationConfirmed = (o: OrderProcess): OrderProcess => ({ ...o, activationConfirmed: true });

// ---- what the order shows ------------------------------------------------------------------------

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const goodsOf = (o: OrderProcess): StockLine[] => o.lines.filter((line) => line.kind === 'goods').map(({ sku, qty }) => ({ sku, qty }));
export const servicesOf = (o: OrderProcess): StockLine[] => o.lines.filter((line) => line.kind === 'service').map(({ sku, qty }) => ({ sku, qty }));
export const totalOf = (o: OrderProcess): number => o.totalCents ?? 0;

/** `cancelling`: a cancellation was accepted and the process is unwinding to it; `placedBy`: who placed the order. */
export function orderFacts(o: OrderProcess, cancelling: boolean, placedBy?: string): OrderFacts {
  return {
    state: o.status, hasGoods: goodsOf(o).length > 0, hasServices: servicesOf(o).length > 0, cancelling, placedBy,
    fourEyes: o.terms?.fourEyesCreditDecision !== false,
  };
}

/**
 * `pending` says which actions were accepted and await the process: the view offers them no more.
 */
export function orderView(o: OrderProcess, input: OrderInput, actor?: Actor, pending: (action: OrderAction) => boolean = () => false): OrderView {
  return {
    id: input.number, status: o.status, customerId: input.customerId, paymentTerms: input.paymentTerms, contractId: input.contractId ?? null,
    total: o.totalCents === null ? null : fromCents(o.totalCents),
    lines: o.lines.map((line) => ({
      sku: line.sku, kind: line.kind, qty: line.qty, priceRule: line.rule, promotionId: line.promotionId,
      unitPrice: fromCents(line.unitPriceCents), lineTotal: fromCents(line.lineTotalCents),
    })),
    credit: o.credit ? { withinLimit: o.credit.withinLimit, exposure: fromCents(o.credit.exposureCents), limit: fromCents(o.credit.limitCents) } : null,
    backorderedSkus: o.backorderedSkus, invoiceId: o.invoiceId, paymentId: o.paymentId, shipment: o.shipment, activationReportOpen: o.activationReportOpen,
    waitingUntil: iso(o.waitingUntil), cancelReason: o.cancelReason,
    allowedActions: actor ? orderActions(orderFacts(o, pending('cancel'), input.actor.id), actor).filter((action) => !pending(action)) : [],
  };
}

export function orderRecord(o: OrderProcess, input: OrderInput, workflowId: string): OrderRecord {
  return {
    id: input.number, workflowId, customerId: input.customerId, paymentTerms: input.paymentTerms, contractId: input.contractId ?? null,
    deliveryAddress: input.deliveryAddress ?? null, status: o.status, totalCents: o.totalCents, invoiceId: o.invoiceId, paymentId: o.paymentId,
    cancelReason: o.cancelReason, createdBy: input.actor.id, createdAt: o.createdAt, closedAt: o.closedAt,
    lineCount: o.lines.length, hasGoods: goodsOf(o).length > 0, hasServices: servicesOf(o).length > 0, activationReportOpen: o.activationReportOpen,
    creditHoldMs: o.terms?.creditHoldMs ?? null, fourEyes: o.terms?.fourEyesCreditDecision !== false,
  };
}

/** The search attributes that change with the order (kind and customer are set once at intake). */
export function orderSearchAttributes(o: OrderProcess): SearchAttributeUpdatePair[] {
  return [
    { key: CrmStatus, value: o.status },
    { key: CrmAmount, value: o.totalCents === null ? null : amountAttribute(o.totalCents) },
    { key: CrmDueAt, value: o.waitingUntil === null ? null : new Date(o.waitingUntil) },
  ];
}

const WAITING_FOR: Partial<Record<OrderState, string>> = {
  credit_hold: 'a finance credit decision',
  backordered: 'a restock',
  awaiting_payment: 'the prepayment',
  fulfilling: 'the shipment',
  provisioning: 'service activation',
  activated: 'the shipment',
  shipped: 'delivery',
};

/** The current details managers read in the Temporal UI. */
export function orderDetails(o: OrderProcess, input: Pick<OrderInput, 'paymentTerms'>): string {
  const wait = o.activationReportOpen ? 'a manual activation report' : WAITING_FOR[o.status];
  return [
    `**${o.status}**`,
    o.totalCents === null ? null : `total ${fromCents(o.totalCents)} (${input.paymentTerms})`,
    wait ? `waiting for ${wait}${o.waitingUntil ? ` until ${iso(o.waitingUntil)}` : ''}` : null,
    o.backorderedSkus.length ? `short: ${o.backorderedSkus.join(', ')}` : null,
  ].filter(Boolean).join(' · ');
}
