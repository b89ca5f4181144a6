import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { workflowIdFor } from '../domain/ids';

/**
 * Sends an Update to a ticket's workflow from outside a person's request (the e-mail channel, the user
 * administration). A refusal (the ticket moved on, or has ended) is an answer, not a failure to retry:
 * it comes back as the ticket's reason. Callers pass an update id, so a retry after the Update landed is
 * answered by the first result.
 */
export async function updateTicket(client: Client, ticketId: string, send: (handle: WorkflowHandle) => Promise<unknown>): Promise<{ refused: string | null }> {
  try {
    await send(client.workflow.getHandle(workflowIdFor('ticket', ticketId)));
    return { refused: null };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return { refused: error.cause?.message ?? error.message };
    if (error instanceof WorkflowNotFoundError) return { refused: `ticket ${ticketId} has ended` };
    throw error;
  }
}
