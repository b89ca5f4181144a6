import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDeps } from '../activities';
import { TASK_QUEUES, taskQueue, type Config } from '../config';
import { dataConverter } from './codec';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return code;
}

const quietBundlerLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

export interface RunningWorkers {
  workers: Worker[];
  /** Stops polling, lets in-flight activities finish within the grace time, and resolves when done. */
  shutdown(): Promise<void>;
  done: Promise<void>;
}

/**
 * One worker per task queue (crm-tickets, crm-orders, crm-contracts) in one process, sharing a
 * connection, the activities and one workflow bundle. The queues can be split across processes later
 * by running this with a subset.
 */
export async function startWorkers(options: {
  config: Config;
  connection: NativeConnection;
  deps: ActivityDeps;
  queues?: readonly (typeof TASK_QUEUES)[number][];
  workflowBundleCode?: string;
  /** Default: createActivities(deps). A caller may wrap them (the reliability tests inject faults this way). */
  activities?: Activities;
}): Promise<RunningWorkers> {
  const { config, connection } = options;
  const activities = options.activities ?? createActivities(options.deps);
  const workflowBundle: WorkerOptions['workflowBundle'] = config.worker.workflowBundlePath
    ? { codePath: config.worker.workflowBundlePath }
    : { code: options.workflowBundleCode ?? (await bundleWorkflows()) };
  const workers = await Promise.all((options.queues ?? TASK_QUEUES).map((name) => Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueue(config, name),
    activities,
    workflowBundle,
    dataConverter: dataConverter(config),
    shutdownGraceTime: config.worker.shutdownGraceMs,
    ...(config.worker.maxCachedWorkflows !== null ? { maxCachedWorkflows: config.worker.maxCachedWorkflows } : {}),
  })));
  const done = Promise.all(workers.map((worker) => worker.run())).then(() => undefined);
  return {
    workers,
    done,
    async shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
