import { Context } from '@temporalio/activity';
import { ticketsHeldBy } from '../db/tickets';
import { findUser } from '../db/users';
import type { HeldTicket } from '../domain/processes/claims';
import { ticketUpdates } from '../domain/processes/ticket';
import { tiersOf, USER_ADMINISTRATION } from '../domain/users';
import { temporalOf, type ActivityDeps } from './deps';
import { updateTicket } from './ticket-updates';

export function createClaimActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** The tickets the user holds at tiers they no longer work (all of them once the user is inactive). */
    async ticketsHeldBy(input: { userId: string }): Promise<HeldTicket[]> {
      const user = await findUser(db, input.userId);
      if (!user) return [];
      return ticketsHeldBy(db, user.id, user.active ? tiersOf(user.roles) : []);
    },

    /**
     * One ticket back to its tier's queue, as the user administration: a ticket being worked is released
     * (the supervisor's release); one waiting for its customer is moved into the queue (the supervisor's
     * reassign), since nobody would otherwise take up the answer. The update id is the returning run's and
     * the ticket's, so a retry is answered by the first result and a later deactivation is a new action.
     */
    async returnClaim(input: { ticket: HeldTicket; reason: string }): Promise<{ refused: string | null }> {
      const { ticket, reason } = input;
      const updateId = `return-claim:${Context.current().info.workflowExecution?.runId}:${ticket.ticketId}`;
      return updateTicket(temporalOf(deps, 'returning claims'), ticket.ticketId, (handle) => (ticket.status === 'pending_customer'
        ? handle.executeUpdate(ticketUpdates.reassign, { args: [{ actor: USER_ADMINISTRATION, tier: ticket.tier, reason }], updateId })
        : handle.executeUpdate(ticketUpdates.release, { args: [{ actor: USER_ADMINISTRATION, reason }], updateId })));
    },
  };
}
