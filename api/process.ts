import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition, SearchAttributePair, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { taskQueue } from '../config';
import { formatNumber, workflowIdFor } from '../domain/ids';
import { publicText } from '../domain/public-text';
import { audit } from './audit';
import { idempotent } from './idempotency';
import { conflict } from './problem';

type ProcessKind = 'ticket' | 'order' | 'contract';

/**
 * Opens a process for a create request and answers 201 with its first state. The resource number is
 * allocated under the request's Idempotency-Key and committed before the workflow starts, so a retry
 * reaches the same workflow id; update-with-start then starts the workflow (or, on a retry, finds it
 * running) and waits for its opening Update, so the caller gets the state the workflow settled on.
 */
export async function openProcess<View, Input>(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, spec: {
  kind: ProcessKind;
  workflow: (input: Input) => Promise<unknown>;
  opened: UpdateDefinition<View, []>;
  input: (number: string) => Input;
  /** Public text only (ids, codes, amounts): the Temporal UI shows it without the payload codec. */
  summary: (number: string) => string;
  details: string;
  searchAttributes: SearchAttributePair[];
}): Promise<FastifyReply> {
  const plural = `${spec.kind}s` as const;
  return idempotent(request, reply, {
    scope: `POST /${plural}`,
    allocateId: async () => {
      const [row] = await app.database.sql<{ seq: string }[]>`select nextval(${`${spec.kind}_seq`}::regclass) as seq`;
      return formatNumber(app.config.idPrefixes[spec.kind], new Date().getUTCFullYear(), Number(row!.seq));
    },
    run: async (number) => {
      const view = await app.temporal.workflow.executeUpdateWithStart(spec.opened, {
        startWorkflowOperation: new WithStartWorkflowOperation(spec.workflow, {
          workflowId: workflowIdFor(spec.kind, number),
          taskQueue: taskQueue(app.config, plural),
          args: [spec.input(number)],
          // A retried request (same Idempotency-Key, same number) reaches the running workflow.
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: publicText(spec.summary(number)),
          staticDetails: publicText(spec.details),
          typedSearchAttributes: spec.searchAttributes,
        }),
      });
      await audit(app.db, request.actor, `${spec.kind}.create`, spec.kind, number);
      return { status: 201, body: view };
    },
  });
}

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
