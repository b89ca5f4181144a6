import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface LoggedChild {
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: no draining, no goodbye (the fault tests' `kill -9`). */
  kill(): Promise<void>;
}

/**
 * Starts a long-running helper process (a Temporal server or service, the UI server, an API or worker
 * replica) with its output appended to `logFile`. However this process ends, the child does not outlive
 * it: an orphaned Temporal service would hold its ports and the next start would fail.
 */
export async function spawnLogged(command: string, args: string[], options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<LoggedChild> {
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and the children
  // must stop in the parent's order (API, workers, then Temporal), not all at once.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd, detached: true });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // SIGTERM: the child still shuts down in order after we are gone (the exit handler cannot wait for it).
  const orphanGuard = () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  void exited.then(() => process.removeListener('exit', orphanGuard));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    exited,
    running,
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
