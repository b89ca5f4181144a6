import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';

export interface DevServerOptions {
  cli: string | null; // null: let the SDK download the CLI
  port: number;
  uiPort: number | null; // null: headless
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

function devServerArgs(o: DevServerOptions): string[] {
  const args = ['--ip', '127.0.0.1', '--port', String(o.port), '--namespace', o.namespace, '--log-level', 'warn'];
  if (o.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort));
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
      server: { ip: '127.0.0.1', port: o.port, ui: o.uiPort !== null, uiPort: o.uiPort ?? undefined, dbFilename: o.dbFile ?? undefined, namespace: o.namespace, extraArgs: ['--log-level', 'warn'] },
    });
    return { address, stop: () => env.teardown() };
  }
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const child = spawn(o.cli, ['server', 'start-dev', ...devServerArgs(o)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // However this process ends, the server it started does not outlive it.
  const orphanGuard = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  void exited.then(() => process.removeListener('exit', orphanGuard));
  await waitUntilServing(address, exited, o.logFile);
  return { address, stop: () => stopChild(child, exited) };
}

async function waitUntilServing(address: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  let done = false;
  void exited.then(() => { done = true; });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (done) throw new Error(`Temporal dev server exited during start; see ${logFile}`);
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
  throw new Error(`Temporal dev server did not answer on ${address} within 60 s; see ${logFile}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
