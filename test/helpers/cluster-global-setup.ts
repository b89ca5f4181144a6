import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config';
import { startProduction, CLUSTER_WORKER_REPLICAS } from '../../scripts/production';
import { ensureServerBinaries } from '../../temporal/server-build';
import { dropClusterDatabases, freeClusterPorts, startDatabase } from './environment';
import { TEST_PAYLOAD_KEYS } from './harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The production stack the cluster project runs on: its API over HTTP and its service processes. */
    cluster: { apiUrl: string; frontendAddress: string; uiUrl: string; servicePids: Record<string, number | null>; workerPids: Array<number | null> };
  }
}

/**
 * The `cluster` project runs on the production topology of `npm run cluster`, started here through the same
 * code: the Temporal Server's four services on PostgreSQL, the API and two worker processes. Tests reach it
 * through the harness (`crm` points at the cluster and its database; an empty task-queue prefix puts their
 * processes on the queues the two worker processes poll) and over HTTP. No Temporal Server binary and no Go
 * to build one fails the run with what to do: CI must not pass without the cluster.
 */
export default async function setup(project: TestProject) {
  const binaries = await ensureServerBinaries({ log: console.log });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-cluster-'));
  // Embedded PostgreSQL runs as the `postgres` user when we are root; it must be able to enter the directory.
  await chmod(dir, 0o755);
  const database = await startDatabase(dir);
  const ports = await freeClusterPorts();
  const config = loadConfig({
    CRM_DATA_DIR: dir, DATABASE_URL: database.url, PORT: String(ports.api),
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.frontend}`, TEMPORAL_UI_PORT: String(ports.ui), ...TEST_PAYLOAD_KEYS,
  });
  let production;
  try {
    production = await startProduction({
      config, databaseUrl: database.url, binaries, workerCount: CLUSTER_WORKER_REPLICAS,
      appEnv: { CRM_WORKER_SHUTDOWN_GRACE_MS: '1000', LOG_LEVEL: 'warn' },
    });
  } catch (error) {
    if (process.env.DATABASE_URL) await dropClusterDatabases(process.env.DATABASE_URL, database.url);
    await database.stop();
    throw error;
  }
  const { cluster } = production;
  project.provide('crm', { databaseUrl: database.url, temporalAddress: cluster.address, temporalUiUrl: cluster.uiUrl, workflowBundlePath: path.join(dir, 'workflow-bundle.js') });
  project.provide('cluster', {
    apiUrl: `http://127.0.0.1:${ports.api}`, frontendAddress: cluster.address, uiUrl: cluster.uiUrl,
    servicePids: Object.fromEntries(Object.values(cluster.services).map((s) => [s.name, s.pid()])),
    workerPids: production.workers.map((w) => w.pid()),
  });
  return async () => {
    await production.stop();
    // Beside a test database on DATABASE_URL's server they outlive the run; an embedded server goes away whole.
    if (process.env.DATABASE_URL) await dropClusterDatabases(process.env.DATABASE_URL, database.url);
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
