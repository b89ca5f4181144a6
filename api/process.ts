import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, type SearchAttributePair, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { taskQueue, type TaskQueueName } from '../config';
import { allocateProcessNumber } from '../db/numbers';
import { findProcess, type ProcessKind } from '../db/processes';
import { FailureType, type InvalidStateDetails } from '../domain/failures';
import { workflowIdFor } from '../domain/ids';
import type { ActionUpdates } from '../domain/processes/common';
import { publicText } from '../domain/public-text';
import type { Actor, Role } from '../domain/roles';
import { audit } from './audit';
import { idempotent } from './idempotency';
import { engineTimedOut, engineUnavailable } from './plugins/errors';
import { conflict, notFound } from './problem';
import { IdParams, type SameShape } from './schemas/common';

const ENGINE_PROBE_MS = 1000;

/** The worker queue of each process; returns belong to the order domain and run with the orders, incidents with the tickets they hold. */
const QUEUE_OF: Record<ProcessKind, TaskQueueName> = { ticket: 'tickets', order: 'orders', contract: 'contracts', return: 'orders', incident: 'tickets' };
const CATCH_UP_POLL_MS = 250;

/** The state a process named when it refused an action as not possible in it, or null for any other failure. */
function invalidStateOf(error: unknown): string | null {
  const failure = error instanceof WorkflowUpdateFailedError ? error.cause : null;
  if (!(failure instanceof ApplicationFailure) || failure.type !== FailureType.InvalidState) return null;
  return (failure.details?.[0] as InvalidStateDetails | undefined)?.state ?? null;
}

/**
 * Opens a process for a create request and answers 201 with its first state. The resource number is
 * allocated under the request's Idempotency-Key and committed before the workflow starts, so a retry
 * reaches the same workflow id; update-with-start then starts the workflow (or, on a retry, finds it
 * running) and waits for its opening Update, so the caller gets the state the workflow settled on.
 */
export interface ProcessStart<View, Input> {
  kind: ProcessKind;
  /** The workflow type (its function's name); the API never imports workflow code. */
  workflow: string;
  opened: UpdateDefinition<View, []>;
  /** The number's prefix when not the kind's own (a contract's per type); default config.idPrefixes[kind]. */
  prefix?: string;
  input: (number: string) => Input;
  /** Public text only (ids, codes, amounts): the Temporal UI shows it without the payload codec. */
  summary: (number: string) => string;
  details: string;
  searchAttributes: SearchAttributePair[];
}

export async function openProcess<View, Input>(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, spec: ProcessStart<View, Input>): Promise<FastifyReply> {
  return idempotent(request, reply, {
    scope: `POST /${spec.kind}s`,
    allocateId: () => allocateProcessNumber(app.db, spec.kind, spec.prefix ?? app.config.idPrefixes[spec.kind], new Date().getUTCFullYear()),
    run: async (number) => {
      const view = await startProcess(app, spec, number);
      await audit(app.db, request.actor, `${spec.kind}.create`, spec.kind, number);
      return { status: 201, body: view };
    },
  });
}

/** Starts the process with this number, or reaches it when it already runs, and answers its opened view. */
export async function startProcess<View, Input>(app: FastifyInstance, spec: ProcessStart<View, Input>, number: string): Promise<View> {
  return withinUpdateWait(app, () => app.temporal.workflow.executeUpdateWithStart(spec.opened, {
    startWorkflowOperation: new WithStartWorkflowOperation<(input: Input) => Promise<View>>(spec.workflow, {
      workflowId: workflowIdFor(spec.kind, number),
      taskQueue: taskQueue(app.config, QUEUE_OF[spec.kind]),
      args: [spec.input(number)],
      // A retried request (same Idempotency-Key, same number) reaches the running workflow.
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: publicText(spec.summary(number)),
      staticDetails: publicText(spec.details),
      typedSearchAttributes: spec.searchAttributes,
    }),
  }));
}

/**
 * Sends a human decision to a running process as an Update and returns the process's new state.
 * When the process has already finished, the answer is a 409 naming its final state (from the
 * database), since nothing can be done to it any more.
 */
export async function updateProcess<Ret, Args extends [unknown, ...unknown[]]>(
  app: FastifyInstance,
  options: {
    workflowId: string; update: UpdateDefinition<Ret, Args>; args: Args; finalState: () => Promise<string | null>;
    /** Makes a repeated request one action: Temporal answers a second Update with the same id with the first's result. */
    updateId?: string;
  },
): Promise<Ret> {
  try {
    return await withinUpdateWait(app, () => app.temporal.workflow.getHandle(options.workflowId).executeUpdate(options.update, { args: options.args, updateId: options.updateId }));
  } catch (error) {
    if (isCompletedError(error)) {
      const state = (await options.finalState()) ?? 'finished';
      throw conflict(`the process has finished in state ${state}; no further actions are possible`, { state, allowedActions: [] });
    }
    throw error;
  }
}

/**
 * Bounds the wait for a workflow's answer (CRM_UPDATE_WAIT_MS). Past it the client gives up with
 * WorkflowUpdateRPCTimeoutOrCancelledError, which the error handler answers with 504: the outcome is
 * unknown, and a retry (for a create, with the same Idempotency-Key) is safe.
 */
export async function withinUpdateWait<T>(app: FastifyInstance, call: () => Promise<T>): Promise<T> {
  try {
    return await app.temporal.withDeadline(Date.now() + app.config.api.updateWaitMs, call);
  } catch (error) {
    // The client retries an unreachable server until the deadline, so a timeout may mean "down": ask.
    if (engineTimedOut(error) && !(await engineReachable(app))) throw engineUnavailable();
    throw error;
  }
}

async function engineReachable(app: FastifyInstance): Promise<boolean> {
  try {
    await app.temporal.withDeadline(Date.now() + ENGINE_PROBE_MS, () => app.temporal.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

/**
 * The process is gone: the server answers NOT_FOUND for a completed workflow (the client raises it as
 * WorkflowNotFoundError), and an update accepted just before the workflow completed fails with
 * AcceptedUpdateCompletedWorkflow.
 */
function isCompletedError(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  return error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'AcceptedUpdateCompletedWorkflow';
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
    if (isCompletedError(error)) return false;
    throw error;
  }
}

/** Actions whose body schema differs from the update's arguments and that have no conversion: must be none. */
type Unconverted<Action extends string, Bodies extends Record<Action, TSchema>, Args extends Record<Action, object>, Convert> = {
  [A in Action]: A extends keyof Convert ? never : SameShape<Static<Bodies[A]>, Args[A]> extends true ? never : A;
}[Action];

/**
 * Registers `POST /<plural>/:id/<action>` for each human action of a process: the roles from the
 * process's rules table, the body schema, a check before the update (optional), the Update itself, and
 * the audit row. A body schema whose static type differs from the Update's argument type fails `tsc`
 * unless a conversion is given for that action.
 */
export function registerProcessActions<
  Action extends string,
  Args extends Record<Action, object>,
  View,
  Bodies extends Record<Action, TSchema>,
  Convert extends { [A in Action]?: (body: Static<Bodies[A]>) => Args[A] } = object,
>(spec: {
  kind: ProcessKind;
  actions: readonly Action[];
  rules: Record<Action, { roles: readonly Role[]; from: readonly string[] }>;
  bodies: Bodies;
  response: TSchema;
  updates: ActionUpdates<View, Args>;
  convert?: Convert;
  /** Checks that need the database (an assignee exists, amended prices name known products). */
  check?: (action: Action, body: Record<string, unknown>, actor: Actor, id: string) => Promise<void>;
  /**
   * After the process accepted the action: whether it was taken under a relaxed four-eyes rule (the
   * process refuses it otherwise), so the audit log gets the override too.
   */
  overrideOf?: (action: Action, id: string, actor: Actor) => Promise<Record<string, unknown> | null>;
} & ([Unconverted<Action, Bodies, Args, Convert>] extends [never] ? unknown : { bodyDiffersFromUpdateArgs: Unconverted<Action, Bodies, Args, Convert> })): FastifyPluginAsyncTypebox {
  const plural = `${spec.kind}s`;
  return async (app) => {
    for (const action of spec.actions) {
      app.post(`/${plural}/:id/${action}`, {
        config: { roles: spec.rules[action].roles },
        schema: { tags: [plural], params: IdParams, body: spec.bodies[action], response: { 200: spec.response } },
      }, async (request) => {
        const { id } = request.params;
        const process = await findProcess(app.db, spec.kind, id);
        if (!process) throw notFound(spec.kind, id);
        const body = request.body as Record<string, unknown>;
        await spec.check?.(action, body, request.actor, id);
        const convert = spec.convert?.[action] as ((body: unknown) => object) | undefined;
        const update = spec.updates[action] as UpdateDefinition<View, [object]>;
        const args: [object] = [{ ...(convert ? convert(body) : body), actor: request.actor }];
        const view = await updateWhenCaughtUp(app, { kind: spec.kind, id, recorded: process, admittedIn: spec.rules[action].from, update, args });
        await audit(app.db, request.actor, `${spec.kind}.${action}`, spec.kind, id, body);
        const override = await spec.overrideOf?.(action, id, request.actor);
        if (override) await audit(app.db, request.actor, 'four-eyes.override', spec.kind, id, { action, ...override });
        return view as never;
      });
    }
  };
}

/**
 * Sends a human action to a process as an Update. A workflow task that wrote its steps (local activities)
 * and then died with its worker is run again from the last completed task: for those seconds the process
 * is behind its own record, and refuses in an earlier state an action its record admits. That refusal is
 * not the answer; the action is tried again once the process has caught up, within the update wait.
 */
async function updateWhenCaughtUp<View>(app: FastifyInstance, options: {
  kind: ProcessKind;
  id: string;
  recorded: { workflowId: string; status: string };
  admittedIn: readonly string[];
  update: UpdateDefinition<View, [object]>;
  args: [object];
}): Promise<View> {
  const { kind, id, update, args } = options;
  const finalState = async () => (await findProcess(app.db, kind, id))?.status ?? null;
  const deadline = Date.now() + app.config.api.updateWaitMs;
  let recorded = options.recorded.status;
  for (;;) {
    try {
      return await updateProcess(app, { workflowId: options.recorded.workflowId, update, args, finalState });
    } catch (error) {
      const refusedIn = invalidStateOf(error);
      const behind = refusedIn !== null && refusedIn !== recorded && options.admittedIn.includes(recorded);
      if (!behind || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
      recorded = (await finalState()) ?? recorded;
    }
  }
}
