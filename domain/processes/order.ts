import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { ORDER_ACTION_NAMES, type OrderAction, type OrderState, type PaymentTerms, type ProductKind } from '../orders';
import type { PricedLine } from '../pricing';
import type { Actor } from '../roles';
import { defineActionUpdates } from './common';

// The sales order's messages and shapes: the one module the workflow, its activities and the API all
// import. Update, signal and query names are part of every running order's history and must not change.

export const ORDER_WORKFLOW = 'orderWorkflow';
export type OrderWorkflow = (input: OrderInput) => Promise<OrderView>;

export interface StockLine {
  sku: string;
  qty: number;
}

export interface OrderInput {
  number: string;
  customerId: string;
  lines: StockLine[];
  paymentTerms: PaymentTerms;
  contractId?: string | null;
  deliveryAddress?: string | null;
  actor: Actor;
  /** The business time zone (config.business.timeZone) its days are counted in; processes opened before it lack it (UTC). */
  timeZone?: string;
}

export interface OrderLineView {
  sku: string;
  kind: 'goods' | 'service';
  qty: number;
  priceRule: 'list' | 'customer' | 'contract';
  promotionId: string | null;
  unitPrice: string;
  lineTotal: string;
}

export interface OrderView {
  id: string;
  status: OrderState;
  customerId: string;
  paymentTerms: PaymentTerms;
  contractId: string | null;
  total: string | null;
  lines: OrderLineView[];
  credit: { withinLimit: boolean; exposure: string; limit: string } | null;
  backorderedSkus: string[];
  invoiceId: string | null;
  paymentId: string | null;
  shipment: { carrier: string; trackingNo: string } | null;
  activationReportOpen: boolean;
  waitingUntil: string | null;
  cancelReason: string | null;
  allowedActions: OrderAction[];
}

/** What each human action carries besides its actor. */
export interface OrderActionArgs extends Record<OrderAction, object> {
  'credit-decision': { approve: boolean; note?: string };
  payments: { amount: string; reference: string };
  shipments: { carrier: string; trackingNo: string };
  delivered: object;
  'activation-report': { note?: string };
  cancel: { reason: string };
}

// Human decisions are Updates: the validator refuses early (409/403/422), the handler answers once the
// order has moved on, with its new state.
export const orderUpdates = defineActionUpdates<OrderView, OrderActionArgs>(ORDER_ACTION_NAMES);

/** Answers once the order is priced (or refused); used with update-with-start so POST /orders answers synchronously. */
export const orderOpened = defineUpdate<OrderView>('opened');
export const orderState = defineQuery<OrderView, [Actor?]>('state');
// External events are Signals: nobody waits for an answer.
export const restocked = defineSignal<[{ sku: string }]>('restocked');
export const carrierDelivered = defineSignal<[{ trackingNo: string }]>('carrierDelivered');
export const activationConfirmed = defineSignal('activationConfirmed');

/** The order row as the workflow sees it after a transition (timestamps in epoch ms). */
export interface OrderRecord {
  id: string;
  workflowId: string;
  customerId: string;
  paymentTerms: PaymentTerms;
  contractId: string | null;
  deliveryAddress: string | null;
  status: OrderState;
  totalCents: number | null;
  invoiceId: string | null;
  paymentId: string | null;
  cancelReason: string | null;
  createdBy: string;
  createdAt: number;
  closedAt: number | null;
  // What the order's rules and its task list need beyond the row (domain/tasks.ts).
  lineCount: number;
  hasGoods: boolean;
  hasServices: boolean;
  activationReportOpen: boolean;
  /** order.creditHoldTimeout as the order keeps it (null until its terms are loaded). */
  creditHoldMs: number | null;
  /** Whether the four-eyes rule keeps the placer (createdBy) from deciding the credit hold. */
  fourEyes: boolean;
}

export interface OrderEventRecord {
  seq: number;
  action: string;
  actorId: string;
  fromStatus: OrderState | null;
  toStatus: OrderState;
  note: string | null;
  at: number;
}

export type OrderLineRecord = PricedLine & { kind: ProductKind };

export type Reservation = { reserved: true } | { reserved: false; short: Array<{ sku: string; requested: number; available: number }> };
