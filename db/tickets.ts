import { and, desc, eq, sql } from 'drizzle-orm';
import type { BusinessCalendar } from '../domain/calendar';
import { parseDuration } from '../domain/duration';
import { ticketEventNotifications } from '../domain/processes/notifications';
import type { TicketEventRecord, TicketPolicy, TicketRecord } from '../domain/processes/ticket';
import { policyCalendarKey, resolveSla, slaSettingsFrom, type Priority } from '../domain/sla';
import { ticketTasks } from '../domain/tasks';
import type { Db } from './client';
import { writeNotifications, type DeliveryChannels } from './notifications';
import { issuePortalTokens } from './portal';
import { Refusal } from './refusal';
import { calendars, contracts, customers, ticketEvents, tickets } from './schema';
import { loadSettings } from './settings';
import { replaceTasks } from './tasks';

const at = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Settings, customer tier and calendar as of intake; the ticket keeps these terms for its life. An unknown customer is refused. */
export async function loadTicketPolicy(db: Db, input: { customerId: string; priority: Priority }): Promise<TicketPolicy> {
  const settings = await loadSettings(db);
  const [customer] = await db.select({ tier: customers.tier }).from(customers).where(eq(customers.id, input.customerId));
  if (!customer) throw new Refusal(`customer ${input.customerId} does not exist`, undefined, 'not-found');
  const calendarName = (settings[policyCalendarKey(input.priority, customer.tier)] ?? settings['sla.calendar']) as string | null;
  const [calendarRow] = calendarName ? await db.select().from(calendars).where(eq(calendars.name, calendarName)) : [];
  // An active contract of the customer that carries its own SLA (a service contract) wins over the
  // tier multipliers; with several, the most recently activated one.
  const [serviceContract] = await db.select({ particulars: contracts.particulars }).from(contracts)
    .where(and(eq(contracts.customerId, input.customerId), eq(contracts.status, 'active'), sql`${contracts.particulars}->'sla' is not null and ${contracts.particulars}->'sla' <> 'null'::jsonb`))
    .orderBy(desc(contracts.activatedAt)).limit(1);
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
 * transaction. Retries and late arrivals are harmless: the event's (ticket, seq) key admits it once, and
 * the row and its tasks only move forward in seq. Answers the notifications still waiting for delivery
 * (see writeNotifications).
 */
export async function recordTicket(
  db: Db, input: { ticket: TicketRecord; event: TicketEventRecord }, channels: DeliveryChannels, portalKey: Buffer | null,
): Promise<number[]> {
  const { ticket: t, event: e } = input;
  const row = {
    ...t,
    responseDueAt: at(t.responseDueAt), resolutionDueAt: at(t.resolutionDueAt), queueDueAt: at(t.queueDueAt),
    createdAt: new Date(t.createdAt), updatedAt: new Date(e.at), resolvedAt: at(t.resolvedAt), closedAt: at(t.closedAt), lastSeq: e.seq,
  };
  return db.transaction(async (tx) => {
    const moved = await tx.insert(tickets).values(row).onConflictDoUpdate({
      target: tickets.id,
      set: {
        status: row.status, tier: row.tier, assigneeId: row.assigneeId, dispatchOpinion: row.dispatchOpinion, resolution: row.resolution,
        satisfaction: row.satisfaction, breached: row.breached, supervisorAttention: row.supervisorAttention,
        responseDueAt: row.responseDueAt, resolutionDueAt: row.resolutionDueAt, queueDueAt: row.queueDueAt,
        escalations: row.escalations, reopens: row.reopens, updatedAt: row.updatedAt, resolvedAt: row.resolvedAt, closedAt: row.closedAt, lastSeq: row.lastSeq,
      },
      setWhere: sql`${tickets.lastSeq} < ${row.lastSeq}`,
    }).returning({ id: tickets.id });
    if (moved.length > 0) await replaceTasks(tx, ticketTasks(t), e.at);
    await tx.insert(ticketEvents).values({ ticketId: t.id, ...e, at: new Date(e.at) }).onConflictDoNothing();
    const notifications = ticketEventNotifications(t, e);
    await issuePortalTokens(tx, portalKey, t, e, notifications);
    return writeNotifications(tx, notifications, channels);
  });
}
