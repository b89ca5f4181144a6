import { Type } from '@sinclair/typebox';
import { DateOnly, Money, Nullable, Obj, Text } from './common';
import { LinkedTicket } from './tickets';

export const InvoiceStatus = Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('void')]);

export const InvoiceView = Type.Object({
  id: Type.String(),
  status: InvoiceStatus,
  customerId: Type.String(),
  orderId: Nullable(Type.String()),
  contractId: Nullable(Type.String()),
  description: Type.String(),
  amount: Type.String(),
  paidAmount: Type.String(),
  creditedAmount: Type.String({ description: 'principal settled by credit notes (returns)' }),
  lateFeePaid: Type.String(),
  issuedOn: Type.String(),
  dueOn: Type.String(),
  paidOn: Nullable(Type.String()),
  reminderSentAt: Nullable(Type.String()),
  asOf: Type.String({ description: 'the day amountDue, lateFee and daysOverdue are counted to' }),
  overdue: Type.Boolean(),
  daysOverdue: Type.Integer(),
  lateFee: Type.String({ description: 'late fee on the unpaid principal as of asOf (SPEC §6)' }),
  amountDue: Type.String({ description: 'unpaid principal (amount less paid and credited) plus lateFee' }),
});

export const InvoiceDetail = Type.Composite([InvoiceView, Type.Object({
  linkedTickets: Type.Array(LinkedTicket, { description: 'tickets naming this invoice (relatedTo), newest first' }),
})]);

export const AsOfQuery = Obj({ asOf: Type.Optional(DateOnly('count the late fee to this day; default today in the business time zone')) });

export const CreatePayment = Obj({
  customerId: Type.String({ minLength: 1, maxLength: 64 }),
  amount: Money(),
  reference: Text(200, 'bank reference or receipt number'),
  receivedAt: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], { description: 'default now' })),
});

export const PaymentView = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  amount: Type.String(),
  allocations: Type.Array(Type.Object({ invoiceId: Type.String(), amount: Type.String({ description: 'principal settled' }), lateFee: Type.String() })),
  unallocated: Type.String(),
});

export const PaymentStatus = Type.Union([Type.Literal('received'), Type.Literal('refunded')]);

/** A payment as `GET /payments` shows it: what `POST /payments` answered, and where the money came from. */
export const PaymentRecord = Type.Composite([PaymentView, Type.Object({
  status: PaymentStatus,
  orderId: Nullable(Type.String({ description: "the order whose process received it (prepaid, cash on delivery); null: recorded by finance" })),
  reference: Type.String(),
  receivedAt: Type.String(),
  refundedAt: Nullable(Type.String()),
  recordedBy: Type.String(),
  createdAt: Type.String(),
})]);
