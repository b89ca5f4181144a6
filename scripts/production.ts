import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TASK_QUEUES, taskQueue, type Config } from '../config';
import { spawnLogged, type LoggedChild } from '../temporal/child-process';
import { startCluster, type RunningCluster } from '../temporal/cluster';
import type { ServerBinaries } from '../temporal/server-build';
import { bundleWorkflows } from '../temporal/worker';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Two crmflow worker replicas on the same task queues: one can die (or be deployed) while the other works. */
export const CLUSTER_WORKER_REPLICAS = 2;

/** A crmflow process of the production stack (the API or a worker replica), restartable on its own. */
export interface AppProcess {
  readonly name: string;
  pid(): number | null;
  start(): Promise<void>;
  /** SIGKILL, like `kill -9`. */
  kill(): Promise<void>;
  /** SIGTERM: the API closes, a worker drains. */
  stop(): Promise<void>;
}

export interface ProductionStack extends RunningApps {
  cluster: RunningCluster;
}

export interface RunningApps {
  api: AppProcess;
  workers: AppProcess[];
  stop(): Promise<void>;
}

interface AppsOptions {
  config: Config;
  databaseUrl: string;
  workerCount: number;
  /** Settings only the crmflow processes get (tests shorten their clocks this way). */
  appEnv?: Record<string, string>;
}

/**
 * The production topology on one machine: a Temporal Server cluster (four service processes on
 * PostgreSQL) and crmflow's API and `workerCount` worker replicas as processes of their own (startApps).
 * `config` says where everything goes; its database must exist and be migrated.
 */
export async function startProduction(o: AppsOptions & { binaries: ServerBinaries; log?: (line: string) => void }): Promise<ProductionStack> {
  const { config } = o;
  const frontendPort = Number(config.temporal.address.split(':').pop());
  const cluster = await startCluster({
    dir: path.join(config.dataDir, 'temporal'), binaries: o.binaries, databaseUrl: o.databaseUrl, frontendPort,
    uiPort: config.temporal.uiPort, namespace: config.temporal.namespace, log: o.log,
  });
  try {
    const apps = await startApps({ ...o, config: { ...config, temporal: { ...config.temporal, address: cluster.address } } });
    return {
      cluster, ...apps,
      async stop() {
        await apps.stop();
        await cluster.stop();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * crmflow's API and `workerCount` worker replicas as processes of their own against the Temporal server
 * `config` names, each started through the entry point docker-compose.yml runs (api/server.ts,
 * temporal/run-worker.ts) and waited for: the API until it is healthy, each worker until it polls.
 */
export async function startApps(o: AppsOptions): Promise<RunningApps> {
  const { config } = o;
  const started: AppProcess[] = [];
  try {
    // One bundle for all replicas: bundling takes several seconds of CPU that each worker would spend.
    const workflowBundle = path.join(config.dataDir, 'workflow-bundle.js');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(workflowBundle, await bundleWorkflows());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: o.databaseUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      TEMPORAL_UI_URL: config.temporal.uiUrl,
      CRM_START_TEMPORAL: 'false',
      CRM_DATA_DIR: config.dataDir,
      CRM_WORKFLOW_BUNDLE: workflowBundle,
      CRM_TASK_QUEUE_PREFIX: config.temporal.taskQueuePrefix,
      HOST: config.api.host,
      PORT: String(config.api.port),
      CRM_PAYLOAD_KEYS: config.temporal.payloadKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      CRM_PAYLOAD_KEY_ID: config.temporal.payloadKeyId ?? '',
      ...o.appEnv,
    };
    const logs = path.join(config.dataDir, 'logs');
    const workers: AppProcess[] = Array.from({ length: o.workerCount }, (_, i) => appProcess(`worker-${i + 1}`, 'temporal/run-worker.ts', env, logs, () => pollingFrom(config, workers)));
    for (const worker of workers) {
      await worker.start();
      started.push(worker);
    }
    const api = appProcess('api', 'api/server.ts', env, logs, () => apiHealthy(config));
    await api.start();
    started.push(api);
    return {
      api, workers,
      async stop() {
        // The API first (no new work), then the workers drain.
        await api.stop();
        await Promise.all(workers.map((w) => w.stop()));
      },
    };
  } catch (error) {
    for (const app of started.reverse()) await app.stop();
    throw error;
  }
}

function appProcess(name: string, entry: string, env: NodeJS.ProcessEnv, logs: string, ready: () => Promise<boolean>): AppProcess {
  let child: LoggedChild | null = null;
  const logFile = path.join(logs, `${name}.log`);
  return {
    name,
    pid: () => (child?.running() ? child.pid : null),
    async start() {
      child = await spawnLogged(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { logFile, env, cwd: ROOT });
      const deadline = Date.now() + 120_000;
      while (!(await ready())) {
        if (!child.running()) throw new Error(`crmflow ${name} exited during start; see ${logFile}`);
        if (Date.now() > deadline) throw new Error(`crmflow ${name} was not ready within 120 s; see ${logFile}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async kill() {
      await child?.kill();
    },
    async stop() {
      // Longer than the worker's shutdown grace, so in-flight activities finish.
      await child?.stop(30_000);
    },
  };
}

async function apiHealthy(config: Config): Promise<boolean> {
  return fetch(`http://127.0.0.1:${config.api.port}/health`).then((r) => r.ok, () => false);
}

/**
 * Whether every running worker replica polls every task queue, by the pollers the server reports
 * (the SDK's default identity starts with the process id).
 */
async function pollingFrom(config: Config, workers: AppProcess[]): Promise<boolean> {
  const pids = workers.map((w) => w.pid()).filter((pid): pid is number => pid !== null);
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: config.temporal.address });
    for (const name of TASK_QUEUES) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace, taskQueue: { name: taskQueue(config, name) },
        taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const polling = new Set((pollers ?? []).map((p) => Number(p.identity?.split('@')[0])));
      if (!pids.every((pid) => polling.has(pid))) return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}
