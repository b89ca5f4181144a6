import { and, asc, eq, gte, inArray, isNotNull, lt, lte, ne, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { RETENTION_STATUSES } from '../domain/contracts';
import { addDays, dayOf, startOfDay, UTC } from '../domain/dates';
import { fromCents, sumCents, toCents } from '../domain/money';
import { ORDER_STATES } from '../domain/orders';
import { amountDue } from '../domain/payments';
import { CONTRACT_STATES } from '../domain/contracts';
import {
  ageReceivables, BREACH_ACTIONS, breachSeries, classifyAbc, consumptionTotals, CYCLE_TIME_LABELS, CYCLE_TIME_THRESHOLDS, daysBetween, expiringContracts,
  queueDepthSeries, rate, tally, WAITING_STATE,
} from '../domain/reports';
import type { Priority } from '../domain/sla';
import { CATEGORIES, TICKET_STATES, TIERS, type Tier } from '../domain/tickets';
import type { Db } from './client';
import { openInvoiceOf } from './invoices';
import { articles, contractCallOffs, contractRetentionCases, contracts, creditNotes, customers, invoices, orders, payments, ticketArticleCitations, ticketEvents, tickets } from './schema';

// SPEC §7 report queries. Aggregation happens in PostgreSQL (counts, sums, percentile_cont); the
// figures are finished by the pure rules in domain/reports.ts.

export interface ReportScope {
  /** First and last creation day counted (YYYY-MM-DD, days of `timeZone`), both inclusive. */
  from?: string;
  to?: string;
  region?: string;
  customerId?: string;
  /** The business time zone whose days `from` and `to` are (Appendix A: dates are business days); default UTC. */
  timeZone?: string;
}

/** The scope as the report echoes it back. */
export const scopeView = (s: ReportScope) => ({ from: s.from ?? null, to: s.to ?? null, region: s.region ?? null, customerId: s.customerId ?? null });

const startOf = (day: string, timeZone = UTC) => new Date(startOfDay(day, timeZone));

/**
 * Rows of the scope: created within the days (a timestamp column, or a date column such as an invoice's
 * issue day) and belonging to the customer or to a customer of the region.
 */
function inScope(db: Db, s: ReportScope, created: { at: AnyColumn } | { day: AnyColumn }, customer: AnyColumn): SQL | undefined {
  const range = 'at' in created
    ? [s.from ? gte(created.at, startOf(s.from, s.timeZone)) : undefined, s.to ? lt(created.at, startOf(addDays(s.to, 1), s.timeZone)) : undefined]
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
  // width_bucket numbers the buckets of domain/reports.ts from 0 (below the first threshold).
  const cycleBucket = sql`width_bucket(extract(epoch from ${tickets.closedAt} - ${tickets.createdAt})::float8, ${sql.raw(`array[${CYCLE_TIME_THRESHOLDS.join(',')}]::float8[]`)})`;
  const [[agg], byStatus, byTier, byCategory, bySatisfaction, byCycleTime] = await Promise.all([
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
    db.select({ bucket: sql<number>`${cycleBucket}::int`, count: sql<number>`count(*)::int` }).from(tickets)
      .where(and(where, eq(tickets.status, 'closed'), isNotNull(tickets.closedAt))).groupBy(cycleBucket),
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
    cycleTimeDistribution: tally(CYCLE_TIME_LABELS, byCycleTime.map((b) => ({ key: CYCLE_TIME_LABELS[b.bucket] ?? null, count: b.count }))),
  };
}

/** The tickets of the scope's customers (the days of a per-day report are event days, not intake days). */
const ticketsOf = (db: Db, s: ReportScope) => inScope(db, { region: s.region, customerId: s.customerId }, { at: tickets.createdAt }, tickets.customerId);

/**
 * Per day of the range (business days of `s.timeZone`): SLA breaches by the tier the ticket was at and by its priority, and the tickets
 * waiting unclaimed in each tier's queue at the end of the day, replayed from the ticket events.
 */
export async function ticketDailyReport(db: Db, s: ReportScope & { from: string; to: string }) {
  const timeZone = s.timeZone ?? UTC;
  const start = startOf(s.from, timeZone);
  const end = startOf(addDays(s.to, 1), timeZone);
  // The zone inline, not a parameter: the same expression is selected and grouped by, and two parameters would
  // differ to PostgreSQL. It is the configured zone, checked at start-up (config.ts), quoted all the same.
  const day = sql<string>`(${ticketEvents.at} at time zone ${sql.raw(`'${timeZone.replaceAll("'", "''")}'`)})::date::text`;
  const scoped = (where: SQL | undefined) => and(where, ticketsOf(db, s));
  // Never null: the moves are only of events whose status is a waiting state.
  const waitingTier = (status: AnyColumn) => sql<Tier>`case ${status} ${sql.join(Object.entries(WAITING_STATE).map(([tier, state]) => sql`when ${state} then ${tier}`), sql` `)} end`;
  // Every event moves its ticket out of the queue it waited in (if any) and into the one it waits in now;
  // a note on a waiting ticket leaves and enters the same queue, which nets out.
  const move = (status: AnyColumn, delta: number) => db.select({
    day: sql<string | null>`case when ${ticketEvents.at} < ${start.toISOString()}::timestamptz then null else ${day} end`.as('day'),
    tier: sql<Tier>`${waitingTier(status)}::text`.as('tier'),
    delta: sql<number>`${delta}::int`.as('delta'),
  }).from(ticketEvents).innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .where(scoped(and(lt(ticketEvents.at, end), inArray(status, Object.values(WAITING_STATE)))));
  const moves = db.$with('moves').as(move(ticketEvents.toStatus, 1).unionAll(move(ticketEvents.fromStatus, -1)));
  const [breaches, queueMoves] = await Promise.all([
    db.select({ day, tier: sql<Tier>`${ticketEvents.fromTier}`, priority: sql<Priority>`${tickets.priority}`, count: sql<number>`count(*)::int` })
      .from(ticketEvents).innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(scoped(and(inArray(ticketEvents.action, [...BREACH_ACTIONS]), gte(ticketEvents.at, start), lt(ticketEvents.at, end))))
      .groupBy(day, ticketEvents.fromTier, tickets.priority),
    db.with(moves).select({ day: moves.day, tier: moves.tier, delta: sql<number>`sum(${moves.delta})::int` }).from(moves).groupBy(moves.day, moves.tier),
  ]);
  const days = daysBetween(s.from, s.to);
  return {
    scope: scopeView(s),
    breaches: breachSeries(days, breaches),
    queueDepth: queueDepthSeries(days, queueMoves),
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
      creditHolds: sql<number>`(count(*) filter (where ${orders.status} = 'credit_hold'))::int`,
      creditHoldValue: money(sql`sum(${orders.total}) filter (where ${orders.status} = 'credit_hold')`),
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
    creditHolds: { orders: a.creditHolds, value: a.creditHoldValue },
  };
}

/**
 * Revenue per customer: invoiced amounts of invoices that are not void, issued within the days, plus
 * payments of prepaid and cash-on-delivery orders (not refunded) received within the days. Credit
 * orders and contracts are counted by their invoices, so a payment against an invoice is not counted again;
 * credit notes of returns issued within the days are taken off.
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
  const credited = db.select({ customerId: creditNotes.customerId, name: customers.name, amount: sql<string>`sum(${creditNotes.amount})::text` })
    .from(creditNotes).innerJoin(customers, eq(customers.id, creditNotes.customerId))
    .where(inScope(db, s, { day: creditNotes.issuedOn }, creditNotes.customerId))
    .groupBy(creditNotes.customerId, customers.name);
  const revenue = new Map<string, { name: string; cents: number }>();
  const add = (row: { customerId: string; name: string; amount: string }, sign: 1 | -1) => {
    const seen = revenue.get(row.customerId);
    revenue.set(row.customerId, { name: row.name, cents: (seen?.cents ?? 0) + sign * toCents(row.amount) });
  };
  for (const row of [...(await invoiced), ...(await paid)]) add(row, 1);
  // Returns give revenue back: their credit notes count against the day they were issued.
  for (const row of await credited) add(row, -1);
  // A period whose returns exceed its sales (goods sold before it) ranks the customer at no revenue, not below.
  for (const r of revenue.values()) r.cents = Math.max(0, r.cents);
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
  const [[agg], active, pipeline] = await Promise.all([
    db.select({
      renewed: sql<number>`(count(*) filter (where ${renewed}))::int`,
      termsEnded: sql<number>`(count(*) filter (where ${renewed} or ${contracts.status} = 'expired'))::int`,
    }).from(contracts).where(where),
    contractDrawDowns(db, and(where, eq(contracts.status, 'active'))),
    db.select({ status: contracts.status, contracts: sql<number>`count(*)::int`, value: money(sql`sum(${contracts.targetValue})`) })
      .from(contracts).where(where).groupBy(contracts.status),
  ]);
  const drawDowns = active.map(drawDownCents);
  return {
    scope: scopeView(s),
    byStatus: Object.fromEntries(CONTRACT_STATES.map((status) => {
      const row = pipeline.find((p) => p.status === status);
      return [status, { contracts: row?.contracts ?? 0, value: row?.value ?? '0.00' }];
    })) as Record<(typeof CONTRACT_STATES)[number], { contracts: number; value: string }>,
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
export async function receivablesReport(db: Db, s: ReportScope & { asOf?: string }) {
  const asOf = s.asOf ?? dayOf(Date.now(), s.timeZone);
  const { aged } = await openInvoices(db, inScope(db, s, { day: invoices.issuedOn }, invoices.customerId), asOf);
  return { scope: scopeView(s), asOf, ...aged };
}

/**
 * Which articles resolve tickets, and how many of those resolutions the first line made: one citation per
 * resolution that cited the article, counted on the day of the resolution, for tickets of the scope's
 * customers. Most L1 resolutions first.
 */
export async function articleReport(db: Db, s: ReportScope) {
  const c = ticketArticleCitations;
  const l1 = sql<number>`(count(*) filter (where ${c.tier} = 'L1'))::int`;
  const rows = await db.select({
    articleId: articles.id, title: articles.title, status: articles.status,
    citations: sql<number>`count(*)::int`, l1Resolutions: l1, tickets: sql<number>`count(distinct ${c.ticketId})::int`,
  }).from(c)
    .innerJoin(articles, eq(articles.id, c.articleId))
    .innerJoin(tickets, eq(tickets.id, c.ticketId))
    .where(inScope(db, s, { at: c.at }, tickets.customerId))
    .groupBy(articles.id, articles.title, articles.status)
    .orderBy(sql`${l1} desc`, sql`count(*) desc`, asc(articles.id));
  return { scope: scopeView(s), articles: rows };
}
