import { Type, type ObjectOptions, type TInteger, type TObject } from '@sinclair/typebox';
import { CONTRACT_STATES } from '../../domain/contracts';
import { ORDER_STATES } from '../../domain/orders';
import { AGING_BUCKETS, CYCLE_TIME_LABELS, EXPIRY_WINDOWS, MAX_REPORT_DAYS } from '../../domain/reports';
import { PRIORITIES } from '../../domain/sla';
import { CATEGORIES, TICKET_STATES, TIERS } from '../../domain/tickets';
import { DateOnly, Literals, Nullable, Obj } from './common';

// SPEC §7 reports. Every report takes the same scope; rates are 0..1 with four places (null when there
// is nothing to divide by); durations are whole seconds; money is a two-decimal string.

const scopeFields = {
  from: Type.Optional(DateOnly('first creation day counted (a day of the business time zone), inclusive')),
  to: Type.Optional(DateOnly('last creation day counted (a day of the business time zone), inclusive')),
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "only customers of this region" })),
  customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only this customer' })),
};
export const ReportQuery = Obj(scopeFields);
export const ReceivablesQuery = Obj({ ...scopeFields, asOf: Type.Optional(DateOnly('day the days overdue and late fees are counted to; default today in the business time zone')) });

const Scope = Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()), region: Nullable(Type.String()), customerId: Nullable(Type.String()) });
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const Seconds = Nullable(Type.Integer({ minimum: 0 }));
const Amount = Type.String({ description: 'two-decimal amount' });
/** One count per value, every value present (zero when none). */
const Counts = <T extends string>(values: readonly T[], options?: ObjectOptions): TObject<Record<T, TInteger>> =>
  Type.Object(Object.fromEntries(values.map((v) => [v, Type.Integer({ minimum: 0 })])) as Record<T, TInteger>, options);
const Percentiles = Type.Object({ count: Type.Integer(), p50Seconds: Seconds, p90Seconds: Seconds });

export const TicketReport = Type.Object({
  scope: Scope,
  total: Type.Integer(),
  byStatus: Counts(TICKET_STATES),
  byTier: Counts(TIERS),
  byCategory: Counts(CATEGORIES),
  slaBreachRate: Rate,
  escalationRates: Type.Object({ l1ToL2: Rate, l2ToL3: Rate }),
  timeToResolve: Percentiles,
  reopenRate: Rate,
  satisfaction: Type.Object({ responses: Type.Integer(), average: Nullable(Type.Number()), distribution: Counts(['1', '2', '3', '4', '5'] as const) }),
  cycleTimeDistribution: Counts(CYCLE_TIME_LABELS, { description: 'closed tickets by the time from intake to close; a bucket holds times from its lower edge up to the next one' }),
});

export const DailyReportQuery = Obj({
  ...scopeFields,
  from: Type.Optional(DateOnly('first day (UTC) of events counted, inclusive; default 29 days before to')),
  to: Type.Optional(DateOnly('last day (UTC) of events counted, inclusive; default today')),
}, { description: `at most ${MAX_REPORT_DAYS} days` });
const TierCounts = Counts(TIERS);
export const TicketDailyReport = Type.Object({
  scope: Scope,
  breaches: Type.Array(Type.Object({ day: Type.String(), total: Type.Integer(), byTier: TierCounts, byPriority: Counts(PRIORITIES) }), {
    description: 'SLA breaches (response or resolution clock) on each day, by the tier the ticket was at and by its priority',
  }),
  queueDepth: Type.Array(Type.Object({ day: Type.String(), ...TierCounts.properties }), {
    description: "tickets waiting unclaimed in each tier's queue at the end of each day (L1: new; L2, L3: escalated)",
  }),
});

export const OrderReport = Type.Object({
  scope: Scope,
  total: Type.Integer(),
  byStatus: Counts(ORDER_STATES),
  cycleTime: Percentiles,
  cancellationRate: Rate,
  revenue: Amount,
  creditHolds: Type.Object({ orders: Type.Integer(), value: Amount }, { description: 'orders of the scope now on credit hold, and their total' }),
});

const ContractsValue = Type.Object({ contracts: Type.Integer(), value: Amount });
export const ContractReport = Type.Object({
  scope: Scope,
  byStatus: Type.Object(Object.fromEntries(CONTRACT_STATES.map((status) => [status, ContractsValue])) as Record<(typeof CONTRACT_STATES)[number], typeof ContractsValue>, {
    description: 'the pipeline: contracts of the scope by current status, with their target value',
  }),
  active: ContractsValue,
  expiring: Type.Object(Object.fromEntries(EXPIRY_WINDOWS.map((days) => [`within${days}Days`, ContractsValue])) as Record<`within${(typeof EXPIRY_WINDOWS)[number]}Days`, typeof ContractsValue>),
  consumption: Type.Object({ target: Amount, consumed: Amount, reserved: Amount, remaining: Amount, rate: Rate }),
  renewalRate: Rate,
  retention: Type.Object({
    requests: Type.Integer(), retained: Type.Integer(), lost: Type.Integer(), open: Type.Integer(),
    rate: Rate,
  }, { description: 'termination requests made within the scope; rate = retained / (retained + lost)' }),
});

export const AgingTotals = Type.Object({ invoices: Type.Integer(), outstanding: Amount, lateFees: Amount, total: Amount });
export const ReceivablesReport = Type.Object({
  scope: Scope,
  asOf: Type.String(),
  buckets: Type.Object(Object.fromEntries(AGING_BUCKETS.map((b) => [b, AgingTotals])) as Record<(typeof AGING_BUCKETS)[number], typeof AgingTotals>),
  total: AgingTotals,
});

export const AbcClass = Literals(['A', 'B', 'C'] as const);
const ClassTotals = Type.Object({ customers: Type.Integer(), revenue: Amount, share: Rate });
export const AbcReport = Type.Object({
  scope: Scope,
  totalRevenue: Amount,
  classes: Type.Object({ A: ClassTotals, B: ClassTotals, C: ClassTotals }),
  customers: Type.Array(Type.Object({
    customerId: Type.String(), name: Type.String(), revenue: Amount, share: Type.Number(), cumulativeShare: Type.Number(), class: AbcClass,
  })),
});

export const ArticleReport = Type.Object({
  scope: Scope,
  articles: Type.Array(Type.Object({
    articleId: Type.String(), title: Type.String(), status: Type.String(),
    citations: Type.Integer({ minimum: 0, description: 'resolutions in the range that cited the article' }),
    l1Resolutions: Type.Integer({ minimum: 0, description: 'of those, resolutions by the first line (the ticket at L1)' }),
    tickets: Type.Integer({ minimum: 0, description: 'distinct tickets' }),
  })),
});
