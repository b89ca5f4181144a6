import type { Client } from '@temporalio/client';
import { taskQueue, type Config } from '../config';
import { INBOUND_SWEEP_WORKFLOW, INBOUND_SWEEP_WORKFLOW_ID, type InboundSweepInput } from '../domain/inbound';

/** Starts the one inbound sweep unless it already runs; every process that listens for mail may call this. */
export async function startInboundSweep(client: Client, config: Config): Promise<void> {
  const input: InboundSweepInput = { intervalMs: config.inbound.sweepIntervalMs };
  await client.workflow.start(INBOUND_SWEEP_WORKFLOW, {
    // One sweep per stack: stacks sharing a namespace are told apart by their task-queue prefix.
    workflowId: `${config.temporal.taskQueuePrefix}${INBOUND_SWEEP_WORKFLOW_ID}`,
    taskQueue: taskQueue(config, 'notifications'),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Inbound mail sweep: starts the workflow of mail stored while Temporal was away',
  });
}
