import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawnLogged } from './child-process';

export interface DevServerOptions {
  cli: string | null; // null: let the SDK download the CLI
  port: number;
  uiPort: number | null; // null: headless
  /** The remote codec the UI decodes payloads with (`--ui-codec-endpoint`); null: none. */
  uiCodecEndpoint?: string | null;
  dbFile: string | null; // null: in memory
  /** SQLite pragmas for a file-backed server; default SQLITE_PRAGMAS, [] for SQLite's own defaults. */
  sqlitePragmas?: readonly string[];
  namespace: string;
  logFile: string;
}

export interface DevServer {
  address: string;
  stop(): Promise<void>;
}

// WAL lets readers and the writer proceed together; NORMAL sync is safe with WAL and much faster.
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal', 'busy_timeout=5000'];

/**
 * Dynamic config for every dev server we start (`npm start`, tests, benchmarks). Measured in bench/README.md
 * ("Where the trivial workflow's milliseconds go"): the trivial one-activity workflow went from about
 * 150 ms to 29-38 ms p50 at concurrency 1 on the shared 2-core machine.
 *
 * - `history.transferProcessorMaxPollRPS` (server default 20): how often a history shard's transfer queue
 *   may read its new tasks (workflow tasks, activity tasks, closes) to hand them to matching. The dev
 *   server has ONE history shard, so nearly every step of a workflow waited for the rate limiter: 30-45 ms
 *   per hop, three hops per trivial workflow (the server's `task_latency_load` metric shows it).
 * - `system.enableActivityEagerExecution` (server default false): the worker that schedules an activity
 *   gets it back in the answer to its workflow task completion when it has a free slot (the SDK reserves
 *   up to 3 per task), skipping matching and an activity poll: about 5 ms per activity.
 *
 * Measured and left at their defaults: one task-queue partition instead of 4
 * (`matching.numTaskqueueReadPartitions`/`WritePartitions`) made no difference at concurrency 1.
 *
 * A self-hosted cluster needs the same keys in its dynamic config file for the same effect: `npm run cluster`
 * writes them from here (dynamicConfig in cluster-config.ts), and docker-compose.yml mounts
 * temporal/dynamic-config.yaml, which test/unit/compose.test.ts holds equal to them.
 *
 * With many shards (512 is common) one shard's reads are seldom 50 ms apart, so the default delays a step
 * less often there; with few shards, as here, nearly every step pays it. Temporal Cloud manages its own.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'system.enableActivityEagerExecution': true,
};

const dynamicConfigArgs = (): string[] =>
  Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);

function devServerArgs(o: DevServerOptions): string[] {
  const args = ['--ip', '127.0.0.1', '--port', String(o.port), '--namespace', o.namespace, '--log-level', 'warn', ...dynamicConfigArgs()];
  if (o.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort));
  if (o.uiPort !== null && o.uiCodecEndpoint) args.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  if (o.dbFile) {
    args.push('--db-filename', o.dbFile);
    for (const pragma of o.sqlitePragmas ?? SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  return args;
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  await mkdir(path.dirname(o.logFile), { recursive: true });
  if (o.dbFile) await mkdir(path.dirname(o.dbFile), { recursive: true });
  const address = `127.0.0.1:${o.port}`;
  if (!o.cli) {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { ip: '127.0.0.1', port: o.port, ui: o.uiPort !== null, uiPort: o.uiPort ?? undefined, dbFilename: o.dbFile ?? undefined, namespace: o.namespace, extraArgs: ['--log-level', 'warn', ...dynamicConfigArgs()] },
    });
    return { address, stop: () => env.teardown() };
  }
  const child = await spawnLogged(o.cli, ['server', 'start-dev', ...devServerArgs(o)], { logFile: o.logFile });
  await waitUntilServing({ address, exited: child.exited, logFile: o.logFile, name: 'Temporal dev server' });
  return { address, stop: () => child.stop() };
}

/** Waits until a Temporal frontend at `address` answers, failing early when its process `exited`. */
export async function waitUntilServing(o: { address: string; exited: Promise<number | null>; logFile: string; name: string; timeoutMs?: number }): Promise<void> {
  const { address, logFile, name } = o;
  let done = false;
  void o.exited.then(() => { done = true; });
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (done) throw new Error(`${name} exited during start; see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${name} did not answer on ${address} within ${(o.timeoutMs ?? 60_000) / 1000} s; see ${logFile}`);
}
