import { Type, type Static } from '@sinclair/typebox';
import { BILLING_FREQUENCIES, CONTRACT_ACTION_NAMES, CONTRACT_STATES, CONTRACT_TYPES, RETENTION_STATUSES } from '../../domain/contracts';
import type { ContractView as WorkflowContractView } from '../../domain/processes/contract';
import { Literals, Money, Nullable, Obj, Text, type SameShape } from './common';
import { Category, LinkedTicket } from './tickets';

export const ContractStatus = Literals(CONTRACT_STATES);
export const ContractType = Literals(CONTRACT_TYPES);
const Approver = Literals(['sales_manager', 'finance', 'legal'] as const);
const Sku = Type.String({ minLength: 1, maxLength: 64 });
/** Appendix A: a date (00:00 in the business time zone, CRM_BUSINESS_TIME_ZONE) or a full ISO date-time. */
const DateOrTime = (description?: string) => Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], { description });
const Prices = Type.Array(Obj({ sku: Sku, unitPrice: Money() }), { maxItems: 500 });

export const CreateContract = Obj({
  customerId: Type.String({ minLength: 1, maxLength: 64 }),
  type: ContractType,
  externalRef: Type.Optional(Text(100, "the customer's PO or paper contract number")),
  poDate: Type.Optional(Type.String({ format: 'date' })),
  validFrom: DateOrTime(),
  validTo: DateOrTime(),
  targetValue: Type.Optional(Money('value contracts: the target value')),
  targetQuantities: Type.Optional(Type.Array(Obj({ sku: Sku, qty: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) }), { minItems: 1, maxItems: 500 })),
  prices: Type.Optional(Prices),
  paymentTerms: Type.Optional(Text(100, 'e.g. "net 30"; terms beyond 60 days or not understood go to legal')),
  billing: Type.Optional(Obj({ frequency: Literals(BILLING_FREQUENCIES), amount: Money() })),
  autoRenew: Type.Optional(Type.Boolean({ default: false })),
  renewalMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, default: 12 })),
  noticeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30 })),
  terms: Type.Optional(Text(50_000, 'terms text of its own; any makes the contract non-standard (legal approves)')),
  salesOrg: Type.Optional(Text(40)),
  channel: Type.Optional(Text(40)),
  division: Type.Optional(Text(40)),
  sla: Type.Optional(Obj({
    responseMultiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10 })),
    resolutionMultiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10 })),
  })),
  coveredCategories: Type.Optional(Type.Array(Category, {
    minItems: 1, uniqueItems: true,
    description: 'with an SLA (a service contract): the complaint categories it entitles the customer to; absent: every category',
  })),
});

export const ContractView = Type.Object({
  id: Type.String(),
  status: ContractStatus,
  type: ContractType,
  customerId: Type.String(),
  version: Type.Integer(),
  term: Type.Integer(),
  validFrom: Type.String(),
  validTo: Type.String(),
  targetValue: Type.String(),
  targetQuantities: Nullable(Type.Array(Type.Object({ sku: Type.String(), qty: Type.Integer(), unitPrice: Type.String() }))),
  prices: Type.Array(Type.Object({ sku: Type.String(), unitPrice: Type.String() })),
  paymentTerms: Nullable(Type.String()),
  billing: Nullable(Type.Object({ frequency: Literals(BILLING_FREQUENCIES), amount: Type.String() })),
  autoRenew: Type.Boolean(),
  renewalMonths: Type.Integer(),
  noticeDays: Type.Integer(),
  terms: Nullable(Type.String()),
  approval: Nullable(Type.Object({
    round: Type.Integer(), kind: Literals(['contract', 'amendment'] as const), chain: Type.Array(Approver), step: Type.Integer(), awaiting: Approver,
  })),
  pendingAmendment: Nullable(Type.Object({ version: Type.Integer(), targetValue: Type.String(), validTo: Type.String(), reason: Nullable(Type.String()) })),
  lastRejection: Nullable(Type.Object({ role: Type.String(), actorId: Type.String(), comment: Type.String() })),
  terminationAt: Nullable(Type.String()),
  nextBillingAt: Nullable(Type.String()),
  retention: Nullable(Type.Object({
    case: Type.Integer(), status: Literals(RETENTION_STATUSES), requestedAt: Type.String(), requestedBy: Type.String(), reason: Type.String(),
    offer: Nullable(Type.Object({ discountPercent: Nullable(Type.Number()), months: Nullable(Type.Integer()), alternative: Nullable(Type.String()) })),
    decidedAt: Nullable(Type.String()),
  }, { description: 'the latest termination request and its retention step' })),
  allowedActions: Type.Array(Literals(CONTRACT_ACTION_NAMES)),
});

// The workflow's TypeScript view and this schema describe the same object; the compiler holds them together.
const _sameShape: SameShape<Static<typeof ContractView>, WorkflowContractView> = true;

// A list row is the view's stored facts (the database's copy of them) plus who and when.
export const ContractRow = Type.Composite([
  Type.Pick(ContractView, ['id', 'status', 'type', 'customerId', 'version', 'term', 'targetValue', 'validFrom', 'validTo']),
  Type.Object({ awaiting: Nullable(Type.String()), externalRef: Nullable(Type.String()), createdBy: Type.String(), createdAt: Type.String(), updatedAt: Type.String() }),
]);

const Quantity = Type.Object({ sku: Type.String(), qty: Type.Integer() });

export const ContractDetail = Type.Composite([ContractRow, Type.Object({
  particulars: Type.Unknown({ description: 'externalRef, poDate, salesOrg, channel, division, sla, coveredCategories' }),
  linkedTickets: Type.Array(LinkedTicket, { description: 'tickets naming this contract (relatedTo), newest first' }),
  signedAt: Nullable(Type.String()),
  activatedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  versions: Type.Array(Type.Object({
    version: Type.Integer(), kind: Type.String(), status: Type.String(), reason: Nullable(Type.String()), targetValue: Type.String(),
    validTo: Type.String(), createdBy: Type.String(), createdByName: Type.String(), createdAt: Type.String(), decidedAt: Nullable(Type.String()),
    changes: Type.Array(Type.Object({ field: Type.String(), from: Nullable(Type.String()), to: Nullable(Type.String()) }), {
      description: 'what this version changes from the version in force when it was proposed (none for the first): targetValue, validFrom, validTo, paymentTerms, billing, autoRenew, renewalMonths, noticeDays, terms, "price <sku>", "targetQuantity <sku>"',
    }),
  })),
  approvals: Type.Array(Type.Object({
    round: Type.Integer(), step: Type.Integer(), version: Type.Integer(), role: Type.String(), decision: Type.String(),
    actorId: Type.String(), actorName: Type.String(), comment: Nullable(Type.String()), at: Type.String(),
  })),
  consumption: Type.Object({
    reserved: Type.Object({ value: Type.String(), quantities: Type.Array(Quantity) }),
    consumed: Type.Object({ value: Type.String(), quantities: Type.Array(Quantity) }),
  }),
  remaining: Type.Object({ value: Type.String(), quantities: Nullable(Type.Array(Quantity)) }),
  live: Nullable(ContractView),
  timeline: Type.Array(Type.Object({
    seq: Type.Integer(), action: Type.String(), actorId: Type.String(), actorName: Type.String(), fromStatus: Nullable(ContractStatus), toStatus: ContractStatus,
    version: Type.Integer(), note: Nullable(Type.String()), at: Type.String(),
  })),
})]);

export const ContractActionBodies = {
  submit: Obj({}),
  approve: Obj({ comment: Type.Optional(Text(5000)) }),
  reject: Obj({ comment: Text(5000, 'why: returned to the drafter with the draft') }),
  sign: Obj({ signedAt: Type.Optional(DateOrTime()) }),
  amend: Obj({
    changes: Obj({ targetValue: Type.Optional(Money()), validTo: Type.Optional(DateOrTime()), prices: Type.Optional(Prices), terms: Type.Optional(Text(50_000)) }, { description: 'at least one change' }),
    reason: Text(5000),
  }),
  terminate: Obj({ reason: Text(5000), effectiveDate: DateOrTime('termination takes effect at this date') }),
  renew: Obj({ months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'the renewal term; default the contract\'s renewalMonths' })) }),
  'termination-request': Obj({ reason: Text(5000, 'why the customer wants to leave') }),
  'retention-offer': Obj({
    // From 0.01: a smaller number would print in exponent form, which the exact decimal arithmetic refuses.
    discountPercent: Type.Optional(Type.Number({ minimum: 0.01, maximum: 100, description: 'percent off every contract price and the billing fee' })),
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'the term is extended by this many months' })),
    alternative: Type.Optional(Text(2000, 'a free-text alternative offered instead or as well')),
  }, { description: 'at least one of discountPercent, months, alternative' }),
  'retention-accept': Obj({ note: Type.Optional(Text(5000)) }),
  'retention-decline': Obj({ note: Type.Optional(Text(5000)) }),
};
