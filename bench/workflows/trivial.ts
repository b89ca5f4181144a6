import { proxyActivities } from '@temporalio/workflow';
import type { TrivialActivities } from './trivial-activities';

// The engine's own limit on this machine: one workflow task, one activity, one completion, nothing of ours.
const { echo } = proxyActivities<TrivialActivities>({ startToCloseTimeout: '30 seconds' });

export async function trivialWorkflow(input: string): Promise<string> {
  return echo(input);
}
