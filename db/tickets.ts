import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { BusinessCalendar } from '../domain/calendar';
import { parseDuration } from '../domain/duration';
import { ticketEventNotifications } from '../domain/processes/notifications';
import type { HeldTicket } from '../domain/processes/claims';
import type { MovedNote, TicketEventRecord, TicketPolicy, TicketRecord } from '../domain/processes/ticket';
import { policyCalendarKey, resolveSla, slaSettingsFrom, type Priority } from '../domain/sla';
import type { Category, Tier, TicketState } from '../domain/tickets';
import { ticketTasks } from '../domain/tasks';
import type { Db } from './client';
import { writeNotifications, type DeliveryChannels } from './notifications';
import { issuePortalTokens } from './portal';
import { Refusal } from './refusal';
import { entitlingContract, serviceContractsOf } from './entitlement';
import { calendars, customers, ticketArticleCitations, ticketEvents, tickets } from './schema';
import { searchDocument, weighted } from './search';
import { loadSettings } from './settings';
import { replaceTasks } from './tasks';

const at = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Settings, customer tier and calendar as of intake; the ticket keeps these terms for its life. An unknown
 * customer is refused. `category` (absent from calls of tickets opened before entitlement) limits the
 * service contracts whose SLA may apply to those covering it.
 */
export async function loadTicketPolicy(db: Db, input: { customerId: string; priority: Priority; category?: Category }): Promise<TicketPolicy> {
  const settings = await loadSettings(db);
  const [customer] = await db.select({ tier: customers.tier }).from(customers).where(eq(customers.id, input.customerId));
  if (!customer) throw new Refusal(`customer ${input.customerId} does not exist`, undefined, 'not-found');
  const calendarName = (settings[policyCalendarKey(input.priority, customer.tier)] ?? settings['sla.calendar']) as string | null;
  const [calendarRow] = calendarName ? await db.select().from(calendars).where(eq(calendars.name, calendarName)) : [];
  // The service contract that entitles the customer now (one carrying its own SLA, in force, covering the
  // category) wins over the tier multipliers; with several, the most recently activated one.
  const { finding, contract } = entitlingContract(await serviceContractsOf(db, input.customerId), input.category ?? null, Date.now());
  const serviceContract = finding.entitled ? contract : null;
  return {
    customerTier: customer.tier,
    sla: resolveSla(slaSettingsFrom(settings), input.priority, customer.tier, serviceContract?.particulars.sla ?? null),
    calendarName: calendarRow ? calendarName : null,
    calendar: (calendarRow?.definition as BusinessCalendar | undefined) ?? null,
    confirmationWindowMs: parseDuration(settings['ticket.confirmationWindow'] as string),
    pendingCustomer: { timeoutMs: parseDuration(settings['ticket.pendingCustomerTimeout'] as string), closes: settings['ticket.pendingCustomerCloses'] as boolean },
  };
}

/**
 * The ticket row and its event, once per (ticket, seq), with the notifications the transition implies
 * the ticket's open tasks and the customer's portal links (with `portalKey`: e-mail is on) in the same
 * transaction, and the articles a resolution cites. Retries and late arrivals are harmless: the event's (ticket, seq) key admits it once, and
 * the row and its tasks only move forward in seq. Answers the notifications still waiting for delivery
 * (see writeNotifications).
 */
export async function recordTicket(
  db: Db, input: { ticket: TicketRecord; event: TicketEventRecord }, channels: DeliveryChannels, portalKey: Buffer | null,
): Promise<number[]> {
  const { ticket: { relatedTo, ...t }, event: e } = input;
  const row = {
    ...t, relatedType: relatedTo?.type ?? null, relatedId: relatedTo?.id ?? null,
    responseDueAt: at(t.responseDueAt), resolutionDueAt: at(t.resolutionDueAt), queueDueAt: at(t.queueDueAt),
    createdAt: new Date(t.createdAt), updatedAt: new Date(e.at), resolvedAt: at(t.resolvedAt), closedAt: at(t.closedAt), lastSeq: e.seq,
    search: searchDocument([t.subject, 'A'], [t.description, 'B']),
  };
  return db.transaction(async (tx) => {
    const moved = await tx.insert(tickets).values(row).onConflictDoUpdate({
      target: tickets.id,
      set: {
        status: row.status, tier: row.tier, assigneeId: row.assigneeId, dispatchOpinion: row.dispatchOpinion, resolution: row.resolution,
        satisfaction: row.satisfaction, breached: row.breached, supervisorAttention: row.supervisorAttention,
        responseDueAt: row.responseDueAt, resolutionDueAt: row.resolutionDueAt, queueDueAt: row.queueDueAt,
        escalations: row.escalations, reopens: row.reopens, updatedAt: row.updatedAt, resolvedAt: row.resolvedAt, closedAt: row.closedAt, lastSeq: row.lastSeq,
        incidentId: row.incidentId, mergedInto: row.mergedInto,
      },
      setWhere: sql`${tickets.lastSeq} < ${row.lastSeq}`,
    }).returning({ id: tickets.id });
    if (moved.length > 0) await replaceTasks(tx, ticketTasks(t), e.at);
    const { articleIds = [], ...event } = e;
    const fresh = await tx.insert(ticketEvents).values({ ticketId: t.id, ...event, at: new Date(e.at) }).onConflictDoNothing().returning({ seq: ticketEvents.seq });
    // Each note joins the ticket's search document once, when its event is first recorded (the opening's note is the subject).
    if (fresh.length > 0 && e.note !== null && e.action !== 'open') {
      await tx.update(tickets).set({ search: sql`${tickets.search} || ${weighted(e.note, 'C')}` }).where(eq(tickets.id, t.id));
    }
    if (articleIds.length > 0) {
      await tx.insert(ticketArticleCitations).values(articleIds.map((articleId) => ({ ticketId: t.id, seq: e.seq, articleId, tier: e.toTier, at: new Date(e.at) }))).onConflictDoNothing();
    }
    const notifications = ticketEventNotifications(t, e);
    await issuePortalTokens(tx, portalKey, t, e, notifications);
    return writeNotifications(tx, notifications, channels);
  });
}

/** The open tickets a user holds (working, or waiting for the customer) at tiers other than `keepTiers`, in ticket order. */
export async function ticketsHeldBy(db: Db, userId: string, keepTiers: readonly Tier[]): Promise<HeldTicket[]> {
  const held: TicketState[] = ['in_progress_l2', 'in_progress_l3', 'pending_customer'];
  return db.select({ ticketId: tickets.id, status: tickets.status, tier: tickets.tier }).from(tickets)
    .where(and(eq(tickets.assigneeId, userId), inArray(tickets.status, held), keepTiers.length > 0 ? notInArray(tickets.tier, [...keepTiers]) : undefined))
    .orderBy(asc(tickets.id));
}

/** A ticket's notes in the order they were written, as a merge moves them to the ticket it merges into. */
export async function ticketNotes(db: Db, ticketId: string): Promise<MovedNote[]> {
  const rows = await db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.action, 'note'))).orderBy(asc(ticketEvents.seq));
  return rows.map((r) => ({ text: r.note ?? '', internal: r.internal, actorId: r.actorId, at: r.at.getTime() }));
}
