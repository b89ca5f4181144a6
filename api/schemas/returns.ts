import { Type } from '@sinclair/typebox';
import { MAX_LINES } from '../../domain/orders';
import { RETURN_ACTION_NAMES, RETURN_CONDITIONS, RETURN_STATES } from '../../domain/returns';
import { Nullable, Obj, Text } from './common';

export const ReturnStatus = Type.Union(RETURN_STATES.map((s) => Type.Literal(s)));
export const ReturnConditionSchema = Type.Union(RETURN_CONDITIONS.map((c) => Type.Literal(c)));

export const CreateReturn = Obj({
  lines: Type.Array(Obj({
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    qty: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  }), { minItems: 1, maxItems: MAX_LINES }),
  reason: Text(5000, 'why the customer returns the goods'),
});

export const ReturnActionBodies = {
  received: Obj({
    lines: Type.Array(Obj({ sku: Type.String({ minLength: 1, maxLength: 64 }), condition: ReturnConditionSchema }), { minItems: 1, maxItems: MAX_LINES }),
  }),
};

export const ReturnView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  customerId: Type.String(),
  status: ReturnStatus,
  reason: Type.String(),
  total: Type.String({ description: 'the returned lines at the prices the order charged' }),
  lines: Type.Array(Type.Object({
    sku: Type.String(), qty: Type.Integer(), unitPrice: Type.String(), lineTotal: Type.String(), condition: Nullable(ReturnConditionSchema),
  })),
  creditNoteId: Nullable(Type.String()),
  allowedActions: Type.Array(Type.Union(RETURN_ACTION_NAMES.map((a) => Type.Literal(a)))),
});

export const ReturnRow = Type.Composite([ReturnView, Type.Object({ requestedBy: Type.String(), createdAt: Type.String(), receivedAt: Nullable(Type.String()) })]);

export const CreditNoteView = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  orderId: Type.String(),
  returnId: Type.String(),
  invoiceId: Nullable(Type.String()),
  amount: Type.String(),
  appliedToInvoice: Type.String({ description: "what it took off the order's open invoice" }),
  creditBalance: Type.String({ description: "what is left on the customer's account (the invoice was paid already), to be taken off their next invoice" }),
  appliedLater: Type.String({ description: "what of the balance the customer's later invoices took" }),
  applications: Type.Array(Type.Object({ invoiceId: Type.String(), amount: Type.String(), appliedOn: Type.String() }), { description: 'the later invoices that took the balance, in order' }),
  refundAmount: Type.String({ description: 'prepaid and cash-on-delivery orders: the money to pay back' }),
  refundOfPaymentId: Nullable(Type.String()),
  issuedOn: Type.String(),
});
