import { Type, type Static } from '@sinclair/typebox';
import { MAX_LINES, ORDER_ACTION_NAMES, ORDER_STATES, PAYMENT_TERMS } from '../../domain/orders';
import type { OrderView as WorkflowOrderView } from '../../domain/processes/order';
import { Literals, Money, Nullable, Obj, Text, type SameShape } from './common';
import { LinkedTicket } from './tickets';

export const OrderStatus = Literals(ORDER_STATES);
export const PaymentTerms = Literals(PAYMENT_TERMS);
const Kind = Literals(['goods', 'service'] as const);
const PriceRule = Literals(['list', 'customer', 'contract'] as const);
const Instant = Nullable(Type.String({ format: 'date-time' }));

export const CreateOrder = Obj({
  customerId: Type.String({ minLength: 1, maxLength: 64 }),
  lines: Type.Array(Obj({
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    // Beyond the schema's bound a quantity is malformed (400); beyond the business limit it is refused (422).
    qty: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  }), { minItems: 1, maxItems: MAX_LINES }),
  paymentTerms: PaymentTerms,
  contractId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a call-off against an active contract' })),
  deliveryAddress: Type.Optional(Text(1000)),
});

const OrderLine = Type.Object({
  sku: Type.String(),
  kind: Kind,
  qty: Type.Integer(),
  priceRule: PriceRule,
  promotionId: Nullable(Type.String()),
  unitPrice: Type.String(),
  lineTotal: Type.String(),
});

export const OrderView = Type.Object({
  id: Type.String(),
  status: OrderStatus,
  customerId: Type.String(),
  paymentTerms: PaymentTerms,
  contractId: Nullable(Type.String()),
  total: Nullable(Type.String()),
  lines: Type.Array(OrderLine),
  credit: Nullable(Type.Object({ withinLimit: Type.Boolean(), exposure: Type.String(), limit: Type.String() })),
  backorderedSkus: Type.Array(Type.String()),
  invoiceId: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  shipment: Nullable(Type.Object({ carrier: Type.String(), trackingNo: Type.String() })),
  activationReportOpen: Type.Boolean({ description: 'activation was not confirmed in time; fulfilment must report it' }),
  waitingUntil: Instant,
  cancelReason: Nullable(Type.String()),
  allowedActions: Type.Array(Literals(ORDER_ACTION_NAMES)),
});

// The workflow's TypeScript view and this schema describe the same object; the compiler holds them together.
const _sameShape: SameShape<Static<typeof OrderView>, WorkflowOrderView> = true;

// A list row is the view's stored facts (the database's copy of them) plus its timestamps.
export const OrderRow = Type.Composite([
  Type.Pick(OrderView, ['id', 'status', 'customerId', 'paymentTerms', 'contractId', 'total', 'invoiceId', 'paymentId', 'cancelReason']),
  Type.Object({ createdAt: Type.String(), updatedAt: Type.String(), closedAt: Instant }),
]);

const OrderEvent = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  actorId: Type.String(),
  actorName: Type.String({ description: "the user's name, or the process's own actor (order process, carrier webhook, provisioning platform)" }),
  fromStatus: Nullable(OrderStatus),
  toStatus: OrderStatus,
  note: Nullable(Type.String()),
  at: Type.String(),
});

export const OrderDetail = Type.Composite([OrderRow, Type.Object({
  deliveryAddress: Nullable(Type.String()),
  linkedTickets: Type.Array(LinkedTicket, { description: 'tickets naming this order (relatedTo), newest first' }),
  lines: Type.Array(Type.Composite([OrderLine, Type.Object({ baseUnitPrice: Type.String(), percentOff: Nullable(Type.String()) })])),
  shipment: Nullable(Type.Object({ carrier: Type.String(), trackingNo: Type.String(), shippedAt: Type.String(), deliveredAt: Instant })),
  live: Nullable(OrderView),
  timeline: Type.Array(OrderEvent),
})]);

export const OrderActionBodies = {
  'credit-decision': Obj({ approve: Type.Boolean(), note: Type.Optional(Text(5000)) }),
  payments: Obj({ amount: Money('must equal the order total'), reference: Text(200, 'bank or card reference') }),
  shipments: Obj({ carrier: Text(100), trackingNo: Text(100) }),
  delivered: Obj({}),
  'activation-report': Obj({ note: Type.Optional(Text(5000)) }),
  cancel: Obj({ reason: Text(5000) }),
};

export const Restock = Obj({ qty: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) });

export const CarrierEvent = Obj({
  trackingNo: Text(100),
  event: Literals(['in_transit', 'delivered', 'exception'] as const),
});

export const ProvisioningEvent = Obj({
  orderId: Type.String({ minLength: 1, maxLength: 64 }),
  event: Literals(['activated'] as const),
});
