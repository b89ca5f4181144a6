import { portalKeyOf } from '../db/portal';
import { recordIncident } from '../db/incidents';
import { loadTicketPolicy, recordTicket, ticketNotes } from '../db/tickets';
import type { IncidentRecord } from '../domain/processes/incident';
import type { MovedNote, TicketEventRecord, TicketPolicy, TicketRecord } from '../domain/processes/ticket';
import type { Priority } from '../domain/sla';
import type { ActivityDeps } from './deps';
import { notificationOutlet } from './notifications';
import { refusalsAsFailures } from './failures';

export function createTicketActivities(deps: ActivityDeps) {
  const { db } = deps;
  const outlet = notificationOutlet(deps);
  return {
    /** Settings, customer tier and calendar as of intake; an unknown customer is a NotFound failure. */
    async loadTicketPolicy(input: { customerId: string; priority: Priority }): Promise<TicketPolicy> {
      return refusalsAsFailures(loadTicketPolicy(db, input));
    },

    /** The ticket row and its event, once per (ticket, seq), and the notifications they imply. */
    async recordTicket(input: { ticket: TicketRecord; event: TicketEventRecord }): Promise<void> {
      const { channels } = outlet;
      await outlet.handOver(await recordTicket(db, input, channels, channels.email ? portalKeyOf(deps.config) : null));
    },

    /** The notes of a ticket being merged, to move to the ticket it merges into (a read: safe to repeat). */
    async ticketNotes(input: { ticketId: string }): Promise<MovedNote[]> {
      return ticketNotes(db, input.ticketId);
    },

    /** A major incident's row; its seq admits each change once and never backwards. */
    async recordIncident(input: { incident: IncidentRecord }): Promise<void> {
      await recordIncident(db, input.incident);
    },
  };
}
