import type { Client } from '@temporalio/client';
import { taskQueue, type Config, type TaskQueueName } from '../config';
import { DUNNING_WORKFLOW, DUNNING_WORKFLOW_ID, type DunningWorkflow } from '../domain/processes/dunning';

/**
 * The dunning sweep runs on the contracts queue, though it reminds order invoices too. A queue of its own
 * would buy nothing: every worker registers every workflow and activity, and the sweep already running
 * stays on crm-contracts (continue-as-new keeps the queue), so that queue would still need polling for it.
 * It would only add a queue to poll, configure and document.
 */
export const DUNNING_TASK_QUEUE: TaskQueueName = 'contracts';

/** Starts the one dunning sweep unless it already runs; every API/worker process may call this at start. */
export async function startDunning(client: Client, config: Config): Promise<void> {
  await client.workflow.start<DunningWorkflow>(DUNNING_WORKFLOW, {
    // One sweep per stack: stacks sharing a namespace are told apart by their task-queue prefix.
    workflowId: `${config.temporal.taskQueuePrefix}${DUNNING_WORKFLOW_ID}`,
    taskQueue: taskQueue(config, DUNNING_TASK_QUEUE),
    args: [{ intervalMs: config.contracts.dunningIntervalMs }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Invoice dunning: reminds customers of overdue invoices',
  });
}
