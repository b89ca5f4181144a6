import { defineUpdate } from '@temporalio/workflow';
import type { PaymentTerms } from '../orders';
import { RETURN_ACTION_NAMES, type PricedReturnLine, type ReturnAction, type ReturnCondition, type ReturnRequestLine, type ReturnState } from '../returns';
import type { Actor } from '../roles';
import { defineActionUpdates } from './common';

// The return's messages and shapes: the one module its workflow, activities and the API import.
// Update names are part of every running return's history and must not change.

export const RETURN_WORKFLOW = 'returnWorkflow';

export interface ReturnInput {
  number: string;
  orderId: string;
  lines: ReturnRequestLine[];
  reason: string;
  actor: Actor;
  /** The business time zone (config.business.timeZone) its days are counted in; processes opened before it lack it (UTC). */
  timeZone?: string;
}

export interface ReturnLineView {
  sku: string;
  qty: number;
  unitPrice: string;
  lineTotal: string;
  condition: ReturnCondition | null;
}

export interface ReturnView {
  id: string;
  orderId: string;
  customerId: string;
  status: ReturnState;
  reason: string;
  total: string;
  lines: ReturnLineView[];
  creditNoteId: string | null;
  allowedActions: ReturnAction[];
}

export interface ReturnActionArgs extends Record<ReturnAction, object> {
  received: { lines: Array<{ sku: string; condition: ReturnCondition }> };
}

export const returnUpdates = defineActionUpdates<ReturnView, ReturnActionArgs>(RETURN_ACTION_NAMES);
/** Answers once the return is recorded (or refused); used with update-with-start so the API answers synchronously. */
export const returnOpened = defineUpdate<ReturnView>('opened');

/** What opening a return recorded: the order's customer and terms, and the lines at the prices charged. */
export interface OpenedReturn {
  customerId: string;
  paymentTerms: PaymentTerms;
  lines: PricedReturnLine[];
  totalCents: number;
}

export interface CreditNoteIssued {
  creditNoteId: string;
  amountCents: number;
}
