import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, demoUsersDecision, isLoopback, type Config } from '../config';
import type { Database } from '../db/client';
import { bootstrapAdmin, seedDemo } from '../db/seed';

// What `npm start` and `npm run cluster` share: the log prefix, the people a fresh stack starts with, the
// URLs it prints, and the orderly stop on Ctrl-C.

export const log = (line: string) => console.log(`[crmflow] ${line}`);

/** The admin (key printed once) and, where demoUsersDecision allows, one demo user per role with their keys saved. */
export async function bootstrapPeople(config: Config, db: Database['db']): Promise<void> {
  const admin = await bootstrapAdmin(db, config.bootstrapAdminKey);
  if (admin.apiKey) log(`Admin ${admin.userId} API key (shown once): ${admin.apiKey}`);
  const demoUsers = demoUsersDecision(config.api);
  if (demoUsers.reason) log(demoUsers.reason);
  const demo = demoUsers.seed ? await seedDemo(db) : null;
  if (demo) {
    const keysFile = path.join(config.dataDir, 'demo-keys.txt');
    const lines = demo.map((d) => `${d.role.padEnd(15)} ${d.apiKey}`);
    await writeFile(keysFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    log(`Demo users, one per role (keys also saved to ${keysFile} for development):\n  ${lines.join('\n  ')}`);
  }
}

export function apiUrl(config: Config): string {
  const host = config.api.host;
  return `http://${isLoopback(host) || host === '0.0.0.0' ? 'localhost' : host}:${config.api.port}`;
}

export function printUrls(config: Config, extra: Array<[string, string]> = []): void {
  const api = apiUrl(config);
  log('Ready.');
  const urls: Array<[string, string]> = [
    ['API', `${api}/api/v1   (health: ${api}/health)`], ['API docs', `${api}/docs`], ['Console', `${api}/console`],
    ['Temporal UI', config.temporal.uiUrl], ...extra,
  ];
  for (const [name, url] of urls) log(`  ${name.padEnd(12)} ${url}`);
  log('Press Ctrl-C to stop.');
}

/**
 * The stops of a running stack, newest first, run once on SIGINT/SIGTERM or a fatal error; each
 * failure is reported and the next stop still runs.
 */
export function orderlyShutdown() {
  const stops: Array<() => Promise<unknown>> = [];
  let stopping = false;
  async function shutdown(code: number) {
    if (stopping) return;
    stopping = true;
    log('Stopping …');
    for (const stop of stops) {
      try {
        await stop();
      } catch (error) {
        console.error('[crmflow] while stopping:', (error as Error).message);
      }
    }
    process.exit(code);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));
  return {
    /** Registers what to stop; the last registered stops first. */
    onStop: (stop: () => Promise<unknown>) => stops.unshift(stop),
    shutdown,
    /** Runs `main`; a failed start stops whatever had started. */
    run(main: () => Promise<void>) {
      main().catch(async (error) => {
        // A configuration mistake is the operator's to fix: one line says which setting and why, no stack.
        if (error instanceof ConfigError) console.error(`[crmflow] failed to start: ${error.message}`);
        else console.error('[crmflow] failed to start:', error);
        await shutdown(1);
      });
    },
  };
}

const OWN_GROUP_FLAG = '--own-process-group';

/**
 * Runs this script again in a process group of its own and passes SIGINT and SIGTERM on to it as SIGTERM;
 * true in that copy (go on), false in the relay (do nothing else). A terminal's Ctrl-C signals its whole
 * foreground group at once, and the embedded PostgreSQL (spawned by its package, in our group) would stop
 * while the Temporal services and workers above it still drain; in a group of its own, the stack stops in
 * its order.
 */
export function inOwnProcessGroup(): boolean {
  if (process.argv.includes(OWN_GROUP_FLAG)) return true;
  const copy = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1), OWN_GROUP_FLAG], { stdio: 'inherit', detached: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => copy.kill('SIGTERM'));
  copy.once('exit', (code) => process.exit(code ?? 1));
  return false;
}

