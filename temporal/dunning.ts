import type { Client } from '@temporalio/client';
import { taskQueue, type Config } from '../config';
import { DUNNING_WORKFLOW, DUNNING_WORKFLOW_ID, type DunningWorkflow } from '../domain/processes/dunning';

/** Starts the one dunning sweep unless it already runs; every API/worker process may call this at start. */
export async function startDunning(client: Client, config: Config): Promise<void> {
  await client.workflow.start<DunningWorkflow>(DUNNING_WORKFLOW, {
    // One sweep per stack: stacks sharing a namespace are told apart by their task-queue prefix.
    workflowId: `${config.temporal.taskQueuePrefix}${DUNNING_WORKFLOW_ID}`,
    taskQueue: taskQueue(config, 'contracts'),
    args: [{ intervalMs: config.contracts.dunningIntervalMs }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Invoice dunning: reminds customers of overdue invoices',
  });
}
