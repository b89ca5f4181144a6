import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { connectWorker } from '../../temporal/client';
import { dataConverter } from '../../temporal/codec';
import type { Harness } from '../../test/helpers/harness';
import { trivialWorkflow } from '../workflows/trivial';
import { trivialActivities } from '../workflows/trivial-activities';

let bundle: Promise<string> | null = null;

// Bundled once per process and kept apart from the production bundle, which must not carry bench code.
function trivialBundle(): Promise<string> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../workflows/trivial.ts', import.meta.url)),
    logger: new DefaultLogger('WARN'),
  }).then(({ code }) => code);
  return bundle;
}

export interface TrivialWorker {
  /** Starts one trivial workflow, waits for it to finish (start, one activity, completion) and resolves with its workflow id. */
  execute(id: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A worker for the trivial workflow beside the harness's app worker, in the same process and with the
 * settings temporal/worker.ts gives the app's workers (payload codec, shutdown grace, cache size), so
 * the baseline differs from the app only in the workflow it runs.
 */
export async function startTrivialWorker(h: Harness): Promise<TrivialWorker> {
  const { config, client } = h;
  const connection = await connectWorker(config);
  const taskQueue = `${config.temporal.taskQueuePrefix}bench-trivial`;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    activities: trivialActivities,
    workflowBundle: { code: await trivialBundle() },
    dataConverter: dataConverter(config),
    shutdownGraceTime: config.worker.shutdownGraceMs,
    ...(config.worker.maxCachedWorkflows !== null ? { maxCachedWorkflows: config.worker.maxCachedWorkflows } : {}),
  });
  const running = worker.run();
  return {
    // The task queue carries the harness's random prefix, so ids never meet across runs on one server.
    async execute(id) {
      const workflowId = `${taskQueue}-${id}`;
      await client.workflow.execute(trivialWorkflow, { taskQueue, workflowId, args: [id] });
      return workflowId;
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
