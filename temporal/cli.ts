import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// v1.5.1 is the newest tag `go install` accepts (later tags carry a `replace` directive it refuses).
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
export const LOCAL_CLI_DIR = path.join(PROJECT_ROOT, '.cache', 'bin');

async function works(candidate: string): Promise<boolean> {
  try {
    await run(candidate, ['--version'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Finds the Temporal CLI: `TEMPORAL_CLI`, then `PATH`, then the project-local cache; installs it into
 * the cache when absent (`go install` where Go exists, else the SDK's own download).
 */
export async function resolveTemporalCli(options: { explicit?: string | null; log?: (line: string) => void } = {}): Promise<string | null> {
  const log = options.log ?? (() => {});
  if (options.explicit) {
    if (await works(options.explicit)) return options.explicit;
    throw new Error(`TEMPORAL_CLI=${options.explicit} does not run`);
  }
  const fromPath = onPath('temporal');
  const found = (fromPath && (await works(fromPath)) ? fromPath : null) ?? (await localCli());
  if (found) return found;
  const go = onPath('go');
  if (go) {
    log(`Installing the Temporal CLI with go install ${TEMPORAL_CLI_MODULE} (once; cached in .cache/bin) …`);
    await mkdir(LOCAL_CLI_DIR, { recursive: true });
    await run(go, ['install', TEMPORAL_CLI_MODULE], { env: { ...process.env, GOBIN: LOCAL_CLI_DIR }, timeout: 30 * 60_000 });
    return localCli();
  }
  // null lets the caller fall back to @temporalio/testing, which downloads the CLI itself.
  return null;
}

async function localCli(): Promise<string | null> {
  const candidate = path.join(LOCAL_CLI_DIR, 'temporal');
  return existsSync(candidate) && (await works(candidate)) ? candidate : null;
}
