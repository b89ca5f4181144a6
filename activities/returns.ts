import { WorkflowNotFoundError } from '@temporalio/client';
import { issueCreditNote, openReturn, receiveReturn, type OpenReturnInput } from '../db/returns';
import { restocked } from '../domain/processes/order';
import type { CreditNoteIssued, OpenedReturn } from '../domain/processes/return';
import type { ReturnCondition } from '../domain/returns';
import type { ActivityDeps } from './deps';
import { refusalsAsFailures } from './failures';

export type { OpenReturnInput } from '../db/returns';

export function createReturnActivities({ db, config, temporal }: ActivityDeps) {
  return {
    /** Checks the return against the order under its row lock and records it; refusals are 409/422 failures. */
    async openReturn(input: OpenReturnInput): Promise<OpenedReturn> {
      return refusalsAsFailures(openReturn(db, input));
    },

    /**
     * Records the goods' condition and restocks the resaleable ones once, then wakes the orders
     * backordered on them, as a restock does. The wake-up is repeated on a retry; an order that has
     * finished meanwhile has nothing to wake.
     */
    async receiveReturn(input: { returnId: string; lines: Array<{ sku: string; condition: ReturnCondition }>; receivedBy: string; at: number }): Promise<{ restocked: string[]; woken: string[] }> {
      const outcome = await receiveReturn(db, input);
      if (outcome.waiting.length > 0 && !temporal) throw new Error('receiveReturn needs a Temporal client in its ActivityDeps to wake backordered orders');
      const woken = await Promise.all(outcome.waiting.map(async (order) => {
        try {
          await temporal!.workflow.getHandle(order.workflowId).signal(restocked, { sku: order.sku });
          return order.id;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return null;
          throw error;
        }
      }));
      return { restocked: outcome.restocked, woken: woken.filter((id): id is string => id !== null) };
    },

    /** Issues the return's credit note once and settles it against the invoice, a credit balance or a refund. */
    async issueCreditNote(input: { returnId: string; on: string }): Promise<CreditNoteIssued> {
      return refusalsAsFailures(issueCreditNote(db, config.idPrefixes.creditNote, input));
    },
  };
}
