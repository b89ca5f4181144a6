import { portalKeyOf } from '../db/portal';
import { loadTicketPolicy, recordTicket } from '../db/tickets';
import type { TicketEventRecord, TicketPolicy, TicketRecord } from '../domain/processes/ticket';
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
  };
}
