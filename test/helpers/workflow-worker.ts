import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities, type Activities, type ActivityDeps } from '../../activities';
import { eventually } from './wait';

// The workflow unit tests run the real workflow code on the dev server started by
// workflow-global-setup.ts, with every activity replaced by a plain async function. Each call is recorded
// (name, input, workflow, when it started and finished), so a test asserts what the process did, in which
// order and at what time, without a database.

export type ActivityName = keyof Activities;
type Input<N extends ActivityName> = Parameters<Activities[N]>[0];
type Output<N extends ActivityName> = Awaited<ReturnType<Activities[N]>>;
export type ActivityStubs = { [N in ActivityName]?: (input: Input<N>) => Promise<Output<N>> };

export interface ActivityCall<N extends ActivityName = ActivityName> {
  name: N;
  input: Input<N>;
  workflowId: string;
  startedAt: number;
  /** null while the stub runs; a write that follows another must start after this. */
  finishedAt: number | null;
}

export interface WorkflowTestWorker {
  client: Client;
  taskQueue: string;
  /** Replaces the stubs that differ from the file's defaults, for the workflows started from now on. */
  stub(overrides: ActivityStubs): void;
  /** Every activity call one workflow made, in the order they started. */
  calls(workflowId: string): ActivityCall[];
  callsOf<N extends ActivityName>(workflowId: string, name: N): ActivityCall<N>[];
  /** Waits until the workflow made a call that `match` accepts, and returns it. */
  waitForCall<N extends ActivityName>(workflowId: string, name: N, match?: (call: ActivityCall<N>) => boolean, timeoutMs?: number): Promise<ActivityCall<N>>;
  close(): Promise<void>;
}

/** Every activity the worker offers, by name: an unstubbed one fails the workflow at once instead of retrying. */
const ACTIVITY_NAMES = Object.keys(createActivities({} as ActivityDeps)) as ActivityName[];

let quiet = false;

export async function startWorkflowWorker(defaults: ActivityStubs): Promise<WorkflowTestWorker> {
  if (!quiet) {
    // The worker's state changes are no news in a test run; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    quiet = true;
  }
  const { temporalAddress, workflowBundlePath } = inject('workflowServer');
  const taskQueue = `wf-${randomUUID().slice(0, 8)}`;
  const recorded: ActivityCall[] = [];
  let overrides: ActivityStubs = {};

  const activities = Object.fromEntries(ACTIVITY_NAMES.map((name) => [name, async (input: unknown) => {
    const call: ActivityCall = { name, input: input as never, workflowId: Context.current().info.workflowExecution?.workflowId ?? '', startedAt: Date.now(), finishedAt: null };
    recorded.push(call);
    const stub = (overrides[name] ?? defaults[name]) as ((input: unknown) => Promise<unknown>) | undefined;
    if (!stub) throw ApplicationFailure.nonRetryable(`activity ${name} is not stubbed in this test`, 'NotStubbed');
    try {
      return await stub(input);
    } finally {
      call.finishedAt = Date.now();
    }
  }]));

  const workerConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowBundle: { codePath: workflowBundlePath }, activities });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });

  const calls = (workflowId: string) => recorded.filter((call) => call.workflowId === workflowId);
  const callsOf = <N extends ActivityName>(workflowId: string, name: N) => calls(workflowId).filter((call): call is ActivityCall<N> => call.name === name);
  return {
    client, taskQueue, calls, callsOf,
    stub(next) {
      overrides = next;
    },
    async waitForCall(workflowId, name, match = () => true, timeoutMs = 15_000) {
      const found = await eventually(async () => callsOf(workflowId, name).find(match) ?? null, (call) => call !== null, { timeoutMs, intervalMs: 25 });
      return found!;
    },
    async close() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    },
  };
}
