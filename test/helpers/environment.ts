import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import { connectDatabase } from '../../db/client';
import { startEmbeddedPostgres } from '../../db/embedded';
import { runMigrations } from '../../db/migrate';
import { resolveTemporalCli } from '../../temporal/cli';
import { clusterDatabases } from '../../temporal/cluster';
import { clusterPorts } from '../../temporal/cluster-config';
import { startDevServer, type DevServerOptions } from '../../temporal/dev-server';
import { registerSearchAttributes } from '../../temporal/search-attributes';
import { bundleWorkflows } from '../../temporal/worker';

/** What the test suite and the benchmarks run against: one Temporal dev server, one database, one workflow bundle. */
export interface TestEnvironment {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string;
  workflowBundlePath: string;
}

export interface RunningEnvironment extends TestEnvironment {
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports for a cluster (clusterPorts: each service's gRPC and membership port follow from the frontend's),
 * the API and the UI. The frontend's port is drawn below 32 000: the server stores membership ports in a
 * SMALLINT column, and the membership ports sit 300 below.
 */
export async function freeClusterPorts(): Promise<{ frontend: number; api: number; ui: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const frontend = 20_000 + Math.floor(Math.random() * 12_000);
    const { grpc, membership } = clusterPorts(frontend);
    const free = await Promise.all([...Object.values(grpc), ...Object.values(membership)].map(isFree));
    if (free.every(Boolean)) return { frontend, api: await freePort(), ui: await freePort() };
  }
  throw new Error('no free block of ports for a Temporal cluster');
}

/** Drops the Temporal cluster databases named after `databaseUrl`'s database (clusterDatabases) on `serverUrl`'s server. */
export async function dropClusterDatabases(serverUrl: string, databaseUrl: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const { persistence, visibility } = clusterDatabases(databaseUrl);
    for (const name of [persistence, visibility]) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * A Temporal dev server (in memory, free ports) and a database: a fresh one on `DATABASE_URL`'s server,
 * or an embedded PostgreSQL on a free port. Everything lives in a temporary directory removed on stop.
 */
export async function startEnvironment(): Promise<RunningEnvironment> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-test-'));
  // Embedded PostgreSQL runs as the `postgres` user when we are root; it must be able to enter the directory.
  await chmod(dir, 0o755);
  const [database, temporal, bundle] = await Promise.all([startDatabase(dir), startTemporal({ logDir: dir }), bundleWorkflows()]);
  const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle);
  return {
    databaseUrl: database.url, temporalAddress: temporal.address, temporalUiUrl: temporal.uiUrl, workflowBundlePath,
    async stop() {
      await temporal.stop();
      await database.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startDatabase(dir: string) {
  const adminUrl = process.env.DATABASE_URL;
  let url: string;
  let stop: () => Promise<void>;
  if (adminUrl) {
    // A fresh database on the given server, dropped afterwards.
    const name = `crmflow_test_${process.pid}_${Date.now()}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    stop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    // pg_stat_statements lets the benchmarks count the statements a process costs (figure 7).
    const embedded = await startEmbeddedPostgres({
      dir: path.join(dir, 'postgres'), port: await freePort(), database: 'crmflow_test', persistent: false,
      settings: { shared_preload_libraries: 'pg_stat_statements' },
    });
    url = embedded.url;
    stop = embedded.stop;
  }
  const database = connectDatabase(url, { max: 2 });
  await runMigrations(database);
  await database.close();
  return { url, stop };
}

/**
 * A dev server on free ports with the search attributes registered. A free port can be taken again
 * between our probe and the server's bind (the dev server also picks random ports of its own), so a
 * failed start is retried on fresh ports. `dbFile` null keeps history in memory.
 */
export async function startTemporal(options: { logDir: string; dbFile?: string | null; sqlitePragmas?: DevServerOptions['sqlitePragmas']; ui?: boolean }) {
  const cli = await resolveTemporalCli({ explicit: process.env.TEMPORAL_CLI || null });
  let server;
  let uiPort = 0;
  for (let attempt = 1; !server; attempt++) {
    const port = await freePort();
    uiPort = await freePort();
    try {
      server = await startDevServer({
        cli, port, uiPort: options.ui === false ? null : uiPort, dbFile: options.dbFile ?? null, sqlitePragmas: options.sqlitePragmas,
        namespace: 'default', logFile: path.join(options.logDir, `temporal-${port}.log`),
      });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  await connection.close();
  return { address: server.address, uiUrl: `http://127.0.0.1:${uiPort}`, stop: server.stop };
}
