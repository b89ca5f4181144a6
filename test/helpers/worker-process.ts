import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../config';

const ENTRY = path.resolve(import.meta.dirname, '../reliability/worker-process.ts');

export interface WorkerProcess {
  pid: number;
  /** SIGKILL: no draining, no goodbye; in-flight activities and workflow tasks are simply lost. */
  kill(): Promise<void>;
}

/** The environment that points a worker process at what `config` (a harness's) points at. */
function workerEnv(config: Config): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl!,
    TEMPORAL_ADDRESS: config.temporal.address,
    CRM_TASK_QUEUE_PREFIX: config.temporal.taskQueuePrefix,
    CRM_WORKFLOW_BUNDLE: config.worker.workflowBundlePath!,
    CRM_PAYLOAD_KEYS: config.temporal.payloadKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    CRM_PAYLOAD_KEY_ID: config.temporal.payloadKeyId!,
    CRM_WORKER_SHUTDOWN_GRACE_MS: '1000',
  };
}

/**
 * Starts test/reliability/worker-process.ts as its own OS process for `config`'s queues and resolves once
 * it polls. `extraEnv`: fault switches (see that file) or worker settings such as CRM_WORKER_MAX_CACHED.
 */
export async function spawnWorker(config: Config, extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  const env = { ...process.env, ...workerEnv(config), ...extraEnv };
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // However the test ends, the worker does not outlive it.
  const orphanGuard = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  let log = '';
  child.stderr.on('data', (chunk) => { log = (log + String(chunk)).slice(-4000); });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('worker ready') && resolve());
    void exited.then(() => reject(new Error(`worker process exited during start:\n${log}`)));
  });
  return {
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      process.removeListener('exit', orphanGuard);
    },
  };
}
