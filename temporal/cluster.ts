import { writeFile, mkdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { credentials, Client as GrpcClient, status } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import postgres from 'postgres';
import { spawnLogged, type LoggedChild } from './child-process';
import { CLUSTER_SERVICES, clusterPorts, NUM_HISTORY_SHARDS, dynamicConfig, serverConfig, uiServerConfig, type ClusterDatabase, type ClusterPorts, type ClusterService } from './cluster-config';
import { waitUntilServing } from './dev-server';
import { registerSearchAttributes } from './search-attributes';
import type { ServerBinaries } from './server-build';

const run = promisify(execFile);

export interface ClusterOptions {
  /** The cluster's own directory: server and UI configuration, logs. */
  dir: string;
  binaries: ServerBinaries;
  /** A database on the PostgreSQL server the cluster's databases go to; they are named after it. */
  databaseUrl: string;
  frontendPort: number;
  uiPort: number;
  namespace: string;
  log?: (line: string) => void;
}

/** One of the four server processes: killed and restarted on its own (the fault tests do exactly that). */
export interface ClusterServiceProcess {
  readonly name: ClusterService;
  pid(): number | null;
  start(): Promise<void>;
  /** SIGKILL, like `kill -9`. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningCluster {
  address: string;
  uiUrl: string;
  databases: ClusterDatabase;
  services: Record<ClusterService, ClusterServiceProcess>;
  /** Stops the UI, then the services in reverse start order, each draining its own work. */
  stop(): Promise<void>;
}

/**
 * A Temporal Server cluster on PostgreSQL: persistence and SQL advanced visibility in databases of their
 * own (created and migrated with temporal-sql-tool on every start; a migrated database is left as is),
 * frontend, history, matching and the internal worker as separate processes sharing one configuration,
 * the namespace and crmflow's search attributes registered, and the Web UI server against the frontend.
 */
export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const log = o.log ?? (() => {});
  const databases = clusterDatabases(o.databaseUrl);
  await migrateDatabases(o.binaries, databases, log);
  const ports = clusterPorts(o.frontendPort);
  const configDir = path.join(o.dir, 'config');
  await mkdir(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  // JSON is YAML: the server reads these files with its YAML parser, and nothing here needs a YAML writer.
  await writeFile(dynamicConfigFile, JSON.stringify(dynamicConfig(), null, 2));
  await writeFile(path.join(configDir, 'cluster.yaml'), JSON.stringify(serverConfig({ db: databases, ports, dynamicConfigFile }), null, 2));

  const services = Object.fromEntries(CLUSTER_SERVICES.map((name) => [name, serviceProcess(o, name, ports, databases)])) as Record<ClusterService, ClusterServiceProcess>;
  let ui: LoggedChild | null = null;
  const stop = async () => {
    await ui?.stop();
    for (const name of [...CLUSTER_SERVICES].reverse()) await services[name].stop();
  };
  try {
    for (const name of CLUSTER_SERVICES) {
      await services[name].start();
      log(`Temporal ${name} service up (pid ${services[name].pid()})`);
    }
    const address = `127.0.0.1:${ports.grpc.frontend}`;
    await registerNamespace(address, o.namespace);
    const connection = await Connection.connect({ address });
    try {
      // The server would quietly keep the count its database was created with; a changed constant must not pass unnoticed.
      const { historyShardCount } = await connection.workflowService.getClusterInfo({});
      if (historyShardCount !== NUM_HISTORY_SHARDS) {
        throw new Error(`the cluster's database ${databases.persistence} was created with ${historyShardCount} history shards, NUM_HISTORY_SHARDS says ${NUM_HISTORY_SHARDS}; the count of a cluster can never change (README "Production")`);
      }
      const added = await registerSearchAttributes(connection, o.namespace);
      if (added.length) log(`Registered search attributes: ${added.join(', ')}`);
    } finally {
      await connection.close();
    }
    ui = await startUi(o);
    return { address, uiUrl: `http://localhost:${o.uiPort}`, databases, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The cluster's two databases, named after the crmflow database, on its server and with its user. */
export function clusterDatabases(databaseUrl: string): ClusterDatabase {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'crmflow';
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    persistence: `${name}_temporal`,
    visibility: `${name}_temporal_visibility`,
  };
}

async function migrateDatabases(binaries: ServerBinaries, db: ClusterDatabase, log: (line: string) => void): Promise<void> {
  const connection = ['--plugin', 'postgres12', '--endpoint', db.host, '--port', String(db.port), '--user', db.user, '--password', db.password];
  const sqlTool = (database: string, ...args: string[]) => run(binaries.sqlTool, [...connection, '--database', database, ...args], { timeout: 5 * 60_000 });
  const server = postgres({ host: db.host, port: db.port, user: db.user, password: db.password, database: 'postgres', max: 1, onnotice: () => {} });
  try {
    for (const [database, schema] of [[db.persistence, 'temporal'], [db.visibility, 'visibility']] as const) {
      const [exists] = await server`select 1 from pg_database where datname = ${database}`;
      if (!exists) {
        await sqlTool(database, 'create-database');
        log(`Created database ${database}`);
      }
      // setup-schema starts the version bookkeeping once; update-schema then applies whatever is newer.
      const inside = postgres({ host: db.host, port: db.port, user: db.user, password: db.password, database, max: 1, onnotice: () => {} });
      const [versioned] = await inside`select to_regclass('schema_version') as t`.finally(() => inside.end());
      if (!versioned?.t) await sqlTool(database, 'setup-schema', '--version', '0.0');
      await sqlTool(database, 'update-schema', '--schema-dir', path.join(binaries.schemaDir, schema, 'versioned'));
    }
  } finally {
    await server.end();
  }
}

function serviceProcess(o: ClusterOptions, name: ClusterService, ports: ClusterPorts, db: ClusterDatabase): ClusterServiceProcess {
  let child: LoggedChild | null = null;
  const logFile = path.join(o.dir, 'logs', `temporal-${name}.log`);
  return {
    name,
    pid: () => (child?.running() ? child.pid : null),
    async start() {
      const since = new Date(Date.now() - 1000);
      child = await spawnLogged(o.binaries.server, ['--root', o.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start', '--service', name], { logFile });
      await waitUntilReady(name, ports, db, child, logFile, since);
    },
    async kill() {
      await child?.kill();
    },
    async stop() {
      // History hands its shards over and matching its task queues when they stop in order.
      await child?.stop(30_000);
    },
  };
}

/** The health service names the history and matching servers report SERVING under once they can take work. */
const HEALTH_NAMES: Partial<Record<ClusterService, string>> = {
  history: 'temporal.api.workflowservice.v1.HistoryService',
  matching: 'temporal.api.workflowservice.v1.MatchingService',
};

async function waitUntilReady(name: ClusterService, ports: ClusterPorts, db: ClusterDatabase, child: LoggedChild, logFile: string, since: Date): Promise<void> {
  const address = `127.0.0.1:${ports.grpc[name]}`;
  if (name === 'frontend') return waitUntilServing({ address, exited: child.exited, logFile, name: 'Temporal frontend', timeoutMs: 120_000 });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (!child.running()) throw new Error(`Temporal ${name} service exited during start; see ${logFile}`);
    // The internal worker serves no gRPC of its own: it is ready once it has joined the membership ring.
    const ready = name === 'worker' ? await joinedRing(db, ports.membership.worker, since) : await healthy(address, HEALTH_NAMES[name]!);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal ${name} service was not ready within 120 s; see ${logFile}`);
}

/**
 * grpc.health.v1.Health/Check by hand: the request is one string field (tag 0x0a), the answer one enum
 * field (tag 0x08) where 1 is SERVING, so two bytes of protobuf need no generated code.
 */
async function healthy(address: string, service: string): Promise<boolean> {
  const client = new GrpcClient(address, credentials.createInsecure());
  const name = Buffer.from(service);
  try {
    return await new Promise<boolean>((resolve) => {
      client.makeUnaryRequest('/grpc.health.v1.Health/Check', () => Buffer.concat([Buffer.from([0x0a, name.length]), name]), (bytes: Buffer) => bytes,
        {}, { deadline: Date.now() + 2000 }, (error, answer) => resolve(!error && answer !== undefined && answer[0] === 0x08 && answer[1] === 1));
    });
  } finally {
    client.close();
  }
}

/**
 * Whether a process started at `since` heartbeats in the membership table under its membership port
 * (the table keeps a killed process's row until it expires, hence the session start).
 */
async function joinedRing(db: ClusterDatabase, membershipPort: number, since: Date): Promise<boolean> {
  const sql = postgres({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.persistence, max: 1, onnotice: () => {} });
  try {
    // The server writes these timestamps in UTC into columns without a time zone.
    const rows = await sql`select 1 from cluster_membership where rpc_port = ${membershipPort}
      and session_start >= (${since.toISOString()}::timestamptz at time zone 'utc') and record_expiry > (now() at time zone 'utc')`;
    return rows.length > 0;
  } catch {
    return false;
  } finally {
    await sql.end();
  }
}

/** The namespace, created once, keeping closed workflows (and their histories in the UI) for a week. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') });
  } catch (error) {
    if ((error as { code?: number }).code !== status.ALREADY_EXISTS) throw error;
  } finally {
    await connection.close();
  }
}

async function startUi(o: ClusterOptions): Promise<LoggedChild> {
  const { uiPort } = o;
  const uiDir = path.join(o.dir, 'ui');
  await mkdir(uiDir, { recursive: true });
  await writeFile(path.join(uiDir, 'cluster.yaml'), JSON.stringify(uiServerConfig({ frontendPort: o.frontendPort, uiPort, namespace: o.namespace }), null, 2));
  const logFile = path.join(o.dir, 'logs', 'temporal-ui.log');
  const child = await spawnLogged(o.binaries.uiServer, ['--root', o.dir, '--config', 'ui', '--env', 'cluster', 'start'], { logFile });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!child.running()) throw new Error(`Temporal UI server exited during start; see ${logFile}`);
    if (await fetch(`http://127.0.0.1:${uiPort}/`).then((r) => r.ok, () => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await child.stop();
  throw new Error(`Temporal UI server did not answer on port ${uiPort} within 60 s; see ${logFile}`);
}
