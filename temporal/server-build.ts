import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_CLI_DIR, onPath } from './cli';

const run = promisify(execFile);

/**
 * The Temporal Server release `npm run cluster` runs, and the Web UI server release the Temporal CLI
 * (v1.5.1) embeds, so the cluster's UI is the one `npm start` shows. docker-compose.yml names the same
 * versions; test/unit/compose.test.ts holds the two together.
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_UI_VERSION = '2.42.1';

const SERVER_MODULE = 'go.temporal.io/server';
const UI_SERVER_PACKAGE = 'github.com/temporalio/ui-server/v2/cmd/server';

export interface ServerBinaries {
  server: string;
  sqlTool: string;
  /** The PostgreSQL schemas temporal-sql-tool applies: `<dir>/temporal/versioned`, `<dir>/visibility/versioned`. */
  schemaDir: string;
  uiServer: string;
}

/** Where each version lives under .cache/bin: a new version is a new directory, never a mixed one. */
export function serverBinaryPaths(): ServerBinaries {
  const serverDir = path.join(LOCAL_CLI_DIR, `temporal-server-v${TEMPORAL_SERVER_VERSION}`);
  return {
    server: path.join(serverDir, 'temporal-server'),
    sqlTool: path.join(serverDir, 'temporal-sql-tool'),
    schemaDir: path.join(serverDir, 'schema', 'postgresql', 'v12'),
    uiServer: path.join(LOCAL_CLI_DIR, `temporal-ui-server-v${TEMPORAL_UI_VERSION}`, 'temporal-ui-server'),
  };
}

const built = (paths: ServerBinaries) => [paths.server, paths.sqlTool, paths.uiServer].every((file) => existsSync(file));

/**
 * The server, temporal-sql-tool, their PostgreSQL schemas and the UI server, built with `go install`
 * from the Go module proxy on first use (about 4 minutes on 2 cores) and cached under .cache/bin.
 * Without Go and without a cache this fails with what to do, rather than running something else.
 */
export async function ensureServerBinaries(options: { log?: (line: string) => void } = {}): Promise<ServerBinaries> {
  const log = options.log ?? (() => {});
  const paths = serverBinaryPaths();
  if (built(paths)) return paths;
  const go = onPath('go');
  if (!go) {
    throw new Error(`The Temporal Server v${TEMPORAL_SERVER_VERSION} is not built in ${path.dirname(paths.server)} and there is no Go to build it: install Go (https://go.dev/dl/) and run again`);
  }
  if (!existsSync(paths.server) || !existsSync(paths.sqlTool)) {
    log(`Building the Temporal Server v${TEMPORAL_SERVER_VERSION} and temporal-sql-tool with go install (once; about 4 minutes on 2 cores; cached in ${path.dirname(paths.server)}) …`);
    await installServer(go, paths);
  }
  if (!existsSync(paths.uiServer)) {
    log(`Building the Temporal UI server v${TEMPORAL_UI_VERSION} with go install (once; cached in ${path.dirname(paths.uiServer)}) …`);
    await installInto(go, [`${UI_SERVER_PACKAGE}@v${TEMPORAL_UI_VERSION}`], { server: paths.uiServer });
  }
  return paths;
}

async function installServer(go: string, paths: ServerBinaries): Promise<void> {
  // The schemas ship in the server's module, not in its binaries: copy them beside the binaries, so a
  // cached build needs neither Go nor the module cache to set up a database.
  const { stdout } = await run(go, ['mod', 'download', '-json', `${SERVER_MODULE}@v${TEMPORAL_SERVER_VERSION}`], { timeout: 10 * 60_000, maxBuffer: 1 << 20 });
  const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  await rm(paths.schemaDir, { recursive: true, force: true });
  await mkdir(path.dirname(paths.schemaDir), { recursive: true });
  await cp(path.join(moduleDir, 'schema', 'postgresql', 'v12'), paths.schemaDir, { recursive: true });
  await installInto(go, [`${SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `${SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`], { server: paths.server, sql: paths.sqlTool });
}

/**
 * `go install` into a scratch directory, then each binary renamed into place (go names them after their
 * package directory: `server`, `sql`), so an interrupted build never leaves a half-written binary that
 * looks cached.
 */
async function installInto(go: string, packages: string[], targets: Record<string, string>): Promise<void> {
  await mkdir(LOCAL_CLI_DIR, { recursive: true });
  const scratch = await mkdtemp(path.join(LOCAL_CLI_DIR, '.build-'));
  try {
    await run(go, ['install', ...packages], { env: { ...process.env, GOBIN: scratch }, timeout: 30 * 60_000, maxBuffer: 16 << 20 });
    for (const [name, target] of Object.entries(targets)) {
      await mkdir(path.dirname(target), { recursive: true });
      await rename(path.join(scratch, name), target);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
