import { and, asc, eq, gte, inArray, isNotNull, lt, lte, ne, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { RETENTION_STATUSES } from '../domain/contracts';
import { addDays, dayOf } from '../domain/dates';
import { fromCents, sumCents, toCents } from '../domain/money';
import { ORDER_STATES } from '../domain/orders';
import { amountDue } from '../domain/payments';
import { ageReceivables, classifyAbc, consumptionTotals, expiringContracts, rate, tally } from '../domain/reports';
import { CATEGORIES, TICKET_STATES, TIERS } from '../domain/tickets';
import type { Db } from './client';
import { openInvoiceOf } from './invoices';
import { contractCallOffs, contractRetentionCases, contracts, customers, invoices, orders, payments, ticketEvents, tickets } from './schema';

// SPEC §7 report queries. Aggregation happens in PostgreSQL (counts, sums, percentile_cont); the
// figures are finished by the pure rules in domain/reports.ts.

export interface ReportScope {
  /** First and last creation day counted (YYYY-MM-DD, UTC), both inclusive. */
  from?: string;
  to?: string;
  region?: string;
  customerId?: string;
}

/** The scope as the report echoes it back. */
export const scopeView = (s: ReportScope) => ({ from: s.from ?? null, to: s.to ?? null, region: s.region ?? null, customerId: s.customerId ?? null });

const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);

/**
 * Rows of the scope: created within the days (a timestamp column, or a date column such as an invoice's
 * issue day) and belonging to the customer or to a customer of the region.
 */
function inScope(db: Db, s: ReportScope, created: { at: AnyColumn } | { day: AnyColumn }, customer: AnyColumn): SQL | undefined {
  const range = 'at' in created
    ? [s.from ? gte(created.at, startOf(s.from)) : undefined, s.to ? lt(created.at, startOf(addDays(s.to, 1))) : undefined]
    : [s.from ? gte(created.day, s.from) : undefined, s.to ? lte(created.day, s.to) : undefined];
  return and(
    ...range,
    s.customerId ? eq(customer, s.customerId) : undefined,
    s.region ? inArray(customer, db.select({ id: customers.id }).from(customers).where(eq(customers.region, s.region))) : undefined,
  );
}

function countBy(db: Db, table: PgTable, column: PgColumn, where: SQL | undefined) {
  return db.select({ key: sql<string | null>`${column}::text`, count: sql<number>`count(*)::int` }).from(table).where(where).groupBy(column);
}

/** A sum of money as two-decimal text, "0.00" over no rows. */
const money = (sum: SQL) => sql<string>`coalesce(${sum}, 0)::numeric(16, 2)::text`;

/** p50/p90 of an interval in whole seconds over the rows where it is not null. */
const percentile = (fraction: number, interval: SQL) => sql<number | null>`round(percentile_cont(${fraction}) within group (order by extract(epoch from ${interval})::float8))::int`;

export async function ticketReport(db: Db, s: ReportScope) {
  const where = inScope(db, s, { at: tickets.createdAt }, tickets.customerId);
  // A ticket "reached" a tier when an event moved it there from another tier (escalation, breach, reopen).
  const reached = (tier: string) => sql`exists (select 1 from ${ticketEvents} e where e.ticket_id = ${tickets.id} and e.to_tier = ${tier} and e.from_tier is distinct from ${tier})`;
  const everResolved = sql`exists (select 1 from ${ticketEvents} e where e.ticket_id = ${tickets.id} and e.action = 'resolve')`;
  const resolveTime = sql`${tickets.resolvedAt} - ${tickets.createdAt}`;
  const [[agg], byStatus, byTier, byCategory, bySatisfaction] = await Promise.all([
    db.select({
      total: sql<number>`count(*)::int`,
      breached: sql<number>`(count(*) filter (where ${tickets.breached}))::int`,
      reachedL2: sql<number>`(count(*) filter (where ${reached('L2')}))::int`,
      reachedL3: sql<number>`(count(*) filter (where ${reached('L3')}))::int`,
      everResolved: sql<number>`(count(*) filter (where ${everResolved}))::int`,
      reopened: sql<number>`(count(*) filter (where ${tickets.reopens} > 0))::int`,
      resolved: sql<number>`count(${tickets.resolvedAt})::int`,
      p50: percentile(0.5, resolveTime),
      p90: percentile(0.9, resolveTime),
      responses: sql<number>`count(${tickets.satisfaction})::int`,
      satisfaction: sql<number | null>`round(avg(${tickets.satisfaction}), 2)::float8`,
    }).from(tickets).where(where),
    countBy(db, tickets, tickets.status, where),
    countBy(db, tickets, tickets.tier, where),
    countBy(db, tickets, tickets.category, where),
    countBy(db, tickets, tickets.satisfaction, and(where, isNotNull(tickets.satisfaction))),
  ]);
  const a = agg!;
  return {
    scope: scopeView(s),
    total: a.total,
    byStatus: tally(TICKET_STATES, byStatus),
    byTier: tally(TIERS, byTier),
    byCategory: tally(CATEGORIES, byCategory),
    slaBreachRate: rate(a.breached, a.total),
    escalationRates: { l1ToL2: rate(a.reachedL2, a.total), l2ToL3: rate(a.reachedL3, a.reachedL2) },
    timeToResolve: { count: a.resolved, p50Seconds: a.p50, p90Seconds: a.p90 },
    reopenRate: rate(a.reopened, a.everResolved),
    satisfaction: { responses: a.responses, average: a.satisfaction, distribution: tally(['1', '2', '3', '4', '5'] as const, bySatisfaction) },
  };
}

export async function orderReport(db: Db, s: ReportScope) {
  const where = inScope(db, s, { at: orders.createdAt }, orders.customerId);
  const completed = sql`${orders.status} = 'completed'`;
  const cycle = sql`case when ${completed} then ${orders.closedAt} - ${orders.createdAt} end`;
  const [[agg], byStatus] = await Promise.all([
    db.select({
      total: sql<number>`count(*)::int`,
      cancelled: sql<number>`(count(*) filter (where ${orders.status} = 'cancelled'))::int`,
      completed: sql<number>`(count(*) filter (where ${completed}))::int`,
      p50: percentile(0.5, cycle),
      p90: percentile(0.9, cycle),
      revenue: money(sql`sum(${orders.total}) filter (where ${completed})`),
    }).from(orders).where(where),
    countBy(db, orders, orders.status, where),
  ]);
  const a = agg!;
  return {
    scope: scopeView(s),
    total: a.total,
    byStatus: tally(ORDER_STATES, byStatus),
    cycleTime: { count: a.completed, p50Seconds: a.p50, p90Seconds: a.p90 },
    cancellationRate: rate(a.cancelled, a.total),
    revenue: a.revenue,
  };
}

/**
 * Revenue per customer: invoiced amounts of invoices that are not void, issued within the days, plus
 * payments of prepaid and cash-on-delivery orders (not refunded) received within the days. Credit
 * orders and contracts are counted by their invoices, so a payment against an invoice is not counted again.
 */
async function revenueByCustomer(db: Db, s: ReportScope) {
  const invoiced = db.select({ customerId: invoices.customerId, name: customers.name, amount: sql<string>`sum(${invoices.amount})::text` })
    .from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(ne(invoices.status, 'void'), inScope(db, s, { day: invoices.issuedOn }, invoices.customerId)))
    .groupBy(invoices.customerId, customers.name);
  const paid = db.select({ customerId: payments.customerId, name: customers.name, amount: sql<string>`sum(${payments.amount})::text` })
    .from(payments).innerJoin(orders, eq(orders.id, payments.orderId)).innerJoin(customers, eq(customers.id, payments.customerId))
    .where(and(eq(payments.status, 'received'), inArray(orders.paymentTerms, ['prepaid', 'cod']), inScope(db, s, { at: payments.receivedAt }, payments.customerId)))
    .groupBy(payments.customerId, customers.name);
  const revenue = new Map<string, { name: string; cents: number }>();
  for (const row of [...(await invoiced), ...(await paid)]) {
    const seen = revenue.get(row.customerId);
    revenue.set(row.customerId, { name: row.name, cents: sumCents(seen?.cents ?? 0, toCents(row.amount)) });
  }
  return revenue;
}

export async function abcReport(db: Db, s: ReportScope) {
  const revenue = await revenueByCustomer(db, s);
  const classified = classifyAbc([...revenue].map(([customerId, r]) => ({ customerId, revenueCents: r.cents })));
  const totalCents = sumCents(...classified.map((c) => c.revenueCents));
  const classTotals = (k: 'A' | 'B' | 'C') => {
    const members = classified.filter((c) => c.class === k);
    const cents = sumCents(...members.map((c) => c.revenueCents));
    return { customers: members.length, revenue: fromCents(cents), share: rate(cents, totalCents) };
  };
  return {
    scope: scopeView(s),
    totalRevenue: fromCents(totalCents),
    classes: { A: classTotals('A'), B: classTotals('B'), C: classTotals('C') },
    customers: classified.map((c) => ({
      customerId: c.customerId, name: revenue.get(c.customerId)!.name, revenue: fromCents(c.revenueCents), share: c.share, cumulativeShare: c.cumulativeShare, class: c.class,
    })),
  };
}

/**
 * Target and draw-down of each contract matching `where`: consumed call-offs (fulfilled orders) and
 * reserved ones (orders still running); released call-offs drew nothing.
 */
export function contractDrawDowns(db: Db, where: SQL | undefined) {
  const drawn = (status: 'consumed' | 'reserved') => money(sql`sum(${contractCallOffs.total}) filter (where ${contractCallOffs.status} = ${status})`);
  return db.select({
    id: contracts.id, status: contracts.status, type: contracts.type, validTo: contracts.validTo, target: contracts.targetValue,
    consumed: drawn('consumed'), reserved: drawn('reserved'),
  }).from(contracts).leftJoin(contractCallOffs, eq(contractCallOffs.contractId, contracts.id))
    .where(where).groupBy(contracts.id).orderBy(asc(contracts.validTo), asc(contracts.id));
}

export const drawDownCents = (row: { target: string; consumed: string; reserved: string }) =>
  ({ targetCents: toCents(row.target), consumedCents: toCents(row.consumed), reservedCents: toCents(row.reserved) });

export async function contractReport(db: Db, s: ReportScope, now = Date.now()) {
  const where = inScope(db, s, { at: contracts.createdAt }, contracts.customerId);
  // A term came to its end when the contract was renewed (it is in a later term) or expired.
  const renewed = sql`${contracts.term} > 1`;
  const [[agg], active] = await Promise.all([
    db.select({
      renewed: sql<number>`(count(*) filter (where ${renewed}))::int`,
      termsEnded: sql<number>`(count(*) filter (where ${renewed} or ${contracts.status} = 'expired'))::int`,
    }).from(contracts).where(where),
    contractDrawDowns(db, and(where, eq(contracts.status, 'active'))),
  ]);
  const drawDowns = active.map(drawDownCents);
  return {
    scope: scopeView(s),
    active: { contracts: active.length, value: fromCents(sumCents(...drawDowns.map((c) => c.targetCents))) },
    expiring: expiringContracts(active.map((c, i) => ({ validToMs: c.validTo.getTime(), targetCents: drawDowns[i]!.targetCents })), now),
    consumption: consumptionTotals(drawDowns),
    renewalRate: rate(agg!.renewed, agg!.termsEnded),
    retention: await retentionFigures(db, s),
  };
}

/**
 * Termination requests made within the scope's days (by request, not by contract creation) and how their
 * retention steps ended; the rate is retained over decided, so requests still open do not lower it.
 */
async function retentionFigures(db: Db, s: ReportScope) {
  const byStatus = await db.select({ key: contractRetentionCases.status, count: sql<number>`count(*)::int` })
    .from(contractRetentionCases).innerJoin(contracts, eq(contracts.id, contractRetentionCases.contractId))
    .where(inScope(db, s, { at: contractRetentionCases.requestedAt }, contracts.customerId))
    .groupBy(contractRetentionCases.status);
  const counts = tally(RETENTION_STATUSES, byStatus);
  const requests = RETENTION_STATUSES.reduce((sum, status) => sum + counts[status], 0);
  return { requests, retained: counts.retained, lost: counts.lost, open: counts.open + counts.awaiting_approval, rate: rate(counts.retained, counts.retained + counts.lost) };
}

/**
 * Open invoices matching `where` with what each owes on `asOf` (unpaid principal plus the late fee of
 * SPEC §6, by the `invoice.*` settings), and their totals per aging bucket.
 */
export async function openInvoices(db: Db, where: SQL | undefined, asOf: string) {
  const rows = await db.select().from(invoices).where(and(eq(invoices.status, 'open'), where)).orderBy(asc(invoices.dueOn), asc(invoices.id));
  const items = rows.map((row) => ({ row, due: amountDue(openInvoiceOf(row), asOf) }));
  const aged = ageReceivables(items.map(({ due }) => ({ daysOverdue: due.daysOverdue, outstandingCents: due.amountDueCents - due.lateFeeCents, lateFeeCents: due.lateFeeCents })));
  return { items, aged };
}

/** Receivables as of `s.asOf`, by default today in the business time zone. */
export async function receivablesReport(db: Db, s: ReportScope & { asOf?: string }, timeZone: string) {
  const asOf = s.asOf ?? dayOf(Date.now(), timeZone);
  const { aged } = await openInvoices(db, inScope(db, s, { day: invoices.issuedOn }, invoices.customerId), asOf);
  return { scope: scopeView(s), asOf, ...aged };
}
