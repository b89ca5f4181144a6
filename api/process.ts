import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { conflict } from './problem';

/**
 * Sends a human decision to a running process as an Update and returns the process's new state.
 * When the process has already finished, the answer is a 409 naming its final state (from the
 * database), since nothing can be done to it any more.
 */
export async function updateProcess<Ret, Args extends [unknown, ...unknown[]]>(
  client: Client,
  options: { workflowId: string; update: UpdateDefinition<Ret, Args>; args: Args; finalState: () => Promise<string | null> },
): Promise<Ret> {
  try {
    return await client.workflow.getHandle(options.workflowId).executeUpdate(options.update, { args: options.args });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
      const state = (await options.finalState()) ?? 'finished';
      throw conflict(`the process has finished in state ${state}; no further actions are possible`, { state, allowedActions: [] });
    }
    throw error;
  }
}

function isCompletedError(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /workflow execution already completed/i.test(message);
}

/** Reads a process's live state, or null when its worker cannot answer (it is then shown from the database). */
export async function queryProcess<Ret, Args extends unknown[]>(client: Client, workflowId: string, query: QueryDefinition<Ret, Args>, ...args: Args): Promise<Ret | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(query, ...args);
  } catch {
    return null;
  }
}

/**
 * Tells a process about an external event. A process that has already finished has nothing left to
 * hear, so that is no error: the answer is false.
 */
export async function signalProcess<Args extends unknown[]>(client: Client, workflowId: string, signal: SignalDefinition<Args>, ...args: Args): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(signal, ...args);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) return false;
    throw error;
  }
}
