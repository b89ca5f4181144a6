import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReturnClaimsInput, ReturnedClaims } from '../domain/processes/claims';

const { ticketsHeldBy, returnClaim } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // An engine or database outage delays the return, never loses it.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Returns every ticket a user holds at a tier they no longer work to that tier's queue, one ticket after
 * the other, each through the ticket workflow's own Update (idempotent per run and ticket), so a worker
 * crash half-way picks up at the next ticket and no claim is returned twice.
 */
export async function returnClaimsWorkflow(input: ReturnClaimsInput): Promise<ReturnedClaims> {
  const held = await ticketsHeldBy({ userId: input.userId });
  const outcome: ReturnedClaims = { returned: [], refused: [] };
  for (const ticket of held) {
    const { refused } = await returnClaim({ ticket, reason: input.reason });
    if (refused === null) outcome.returned.push(ticket.ticketId);
    else outcome.refused.push({ ticketId: ticket.ticketId, reason: refused });
  }
  return outcome;
}
