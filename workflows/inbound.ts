import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { InboundSweepInput } from '../domain/inbound';

const { routeInbound, replyByEmail, openTicketByEmail, attachInboundFiles, settleInbound, handOverWaitingInbound } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// One stored message's way in: routed once (the decision is kept in this history, so a retry acts on
// the same one), then a reply to its ticket, a new ticket, or quarantine with the reason.
export async function inboundMail(inboundId: number): Promise<void> {
  const route = await routeInbound(inboundId);
  switch (route.kind) {
    case 'settled':
      return;
    case 'quarantine':
      return settleInbound({ id: inboundId, status: 'quarantined', reason: route.reason });
    case 'reply': {
      const { refused } = await replyByEmail({ inboundId, ticketId: route.ticketId, contact: route.contact });
      if (refused) return settleInbound({ id: inboundId, status: 'quarantined', reason: `ticket ${route.ticketId} refused the reply: ${refused}`, customerId: route.contact.customerId });
      await attachInboundFiles({ inboundId, ticketId: route.ticketId, contact: route.contact });
      return settleInbound({ id: inboundId, status: 'processed', customerId: route.contact.customerId, ticketId: route.ticketId });
    }
    case 'new': {
      const ticketId = await openTicketByEmail({ inboundId, contact: route.contact });
      // Retried until the ticket's first step has written its row, which the files hang from.
      await attachInboundFiles({ inboundId, ticketId, contact: route.contact });
      return settleInbound({ id: inboundId, status: 'processed', customerId: route.contact.customerId, ticketId });
    }
  }
}

const SWEEPS_PER_RUN = 200; // keeps each run's history small; the loop continues as new

// The listener starts each message's workflow right after storing it; a message stored while Temporal
// could not be reached waits in the database, and this sweep starts its workflow once Temporal is back.
export async function inboundSweep(input: InboundSweepInput): Promise<void> {
  const limit = Math.min(input.sweeps ?? SWEEPS_PER_RUN, SWEEPS_PER_RUN);
  for (let sweep = 0; sweep < limit; sweep++) {
    if (sweep > 0) await sleep(input.intervalMs);
    await handOverWaitingInbound();
  }
  if (input.sweeps !== undefined && input.sweeps <= limit) return;
  return continueAsNew<typeof inboundSweep>({ ...input, sweeps: input.sweeps === undefined ? undefined : input.sweeps - limit });
}
