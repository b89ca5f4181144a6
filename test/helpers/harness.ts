import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { buildApp, type App, type BuildAppOptions } from '../../api/app';
import { issueApiKey } from '../../api/keys';
import { loadConfig, type Config, type TaskQueueName } from '../../config';
import { connectDatabase, type Database } from '../../db/client';
import { users } from '../../db/schema';
import { ROLES, type Role } from '../../domain/roles';
import { dataConverter } from '../../temporal/codec';
import { startWorkers, type RunningWorkers } from '../../temporal/worker';
import type { TestEnvironment } from './environment';

/**
 * Fixed test keys, so histories recorded by one run replay in the next: `old` still decrypts what it
 * once encrypted, `current` encrypts.
 */
export const TEST_PAYLOAD_KEYS = {
  CRM_PAYLOAD_KEYS: `old:${Buffer.alloc(32, 1).toString('base64')},current:${Buffer.alloc(32, 2).toString('base64')}`,
  CRM_PAYLOAD_KEY_ID: 'current',
};

export interface Harness {
  config: Config;
  database: Database;
  client: Client;
  app: App;
  workers: RunningWorkers | null;
  /** One fresh user per role, with a bearer header for each. */
  users: Record<Role, { id: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

/**
 * The real app against the run's Temporal server and database, with its own task queues so files
 * running side by side never steal each other's tasks. `env` overrides configuration (short durations).
 * `environment` defaults to the test run's (vitest's global setup); the benchmarks pass their own.
 */
export async function startHarness(options: {
  worker?: boolean;
  /** The task queues the in-process worker polls; default all. Each worker takes a while to start. */
  queues?: readonly TaskQueueName[];
  env?: Record<string, string>;
  logger?: BuildAppOptions['logger'];
  environment?: TestEnvironment;
  /** Sees every statement the app and the in-process worker send (the benchmarks count and explain them). */
  onQuery?: (query: string, parameters: unknown[]) => void;
  /** A mail catcher the test started, shown by the app under /api/v1/mail-catcher/messages (the console's Mail page). */
  mailCatcher?: BuildAppOptions['mailCatcher'];
} = {}): Promise<Harness> {
  const crm = options.environment ?? inject('crm');
  const config = loadConfig({
    CRM_DATA_DIR: '/tmp/crmflow-test-data',
    DATABASE_URL: crm.databaseUrl,
    TEMPORAL_ADDRESS: crm.temporalAddress,
    CRM_TASK_QUEUE_PREFIX: `t${randomUUID().slice(0, 8)}-`,
    CRM_WORKFLOW_BUNDLE: crm.workflowBundlePath,
    CRM_WORKER_SHUTDOWN_GRACE_MS: '1000',
    ...TEST_PAYLOAD_KEYS,
    ...options.env,
  });
  const database = connectDatabase(config.databaseUrl!, { max: 10, onQuery: options.onQuery });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
  let workers: RunningWorkers | null = null;
  let workerConnection: NativeConnection | null = null;
  if (options.worker) {
    workerConnection = await NativeConnection.connect({ address: config.temporal.address });
    workers = await startWorkers({ config, connection: workerConnection, deps: { db: database.db, config, temporal: client }, queues: options.queues });
  }
  const app = await buildApp({ config, database, temporal: client, mailCatcher: options.mailCatcher, logger: options.logger ?? (process.env.TEST_LOG ? { level: 'error' } : false) });
  await app.ready();
  return {
    config, database, client, app, workers,
    users: await createUsers(database),
    async close() {
      await app.close();
      await workers?.shutdown();
      await workerConnection?.close();
      await connection.close();
      await database.close();
    },
  };
}

async function createUser(database: Database, role: Role): Promise<{ id: string; auth: { authorization: string } }> {
  const [user] = await database.db.insert(users).values({ name: `Test ${role}`, email: `${role}-${randomUUID().slice(0, 8)}@test.local`, roles: [role] }).returning({ id: users.id });
  const { apiKey } = await issueApiKey(database.db, user!.id);
  return { id: user!.id, auth: { authorization: `Bearer ${apiKey}` } };
}

async function createUsers(database: Database): Promise<Harness['users']> {
  return Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await createUser(database, role)] as const))) as Harness['users'];
}

/** More people in one role, e.g. several L2 supporters racing for the same ticket. */
export function addUsers(h: Harness, role: Role, count: number) {
  return Promise.all(Array.from({ length: count }, () => createUser(h.database, role)));
}

/** A unique suffix for names and SKUs created by one test. */
export const uniq = () => randomUUID().slice(0, 8);
