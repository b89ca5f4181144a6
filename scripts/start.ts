import { mkdir } from 'node:fs/promises';
import { buildApp } from '../api/app';
import { loadConfig } from '../config';
import { openDatabase } from '../db/bootstrap';
import { connectClient, connectWorker } from '../temporal/client';
import { withPayloadKeys } from '../temporal/payload-keys';
import { maybeStartDevServer } from '../temporal/runtime';
import { registerSearchAttributes } from '../temporal/search-attributes';
import { startWorkers } from '../temporal/worker';
import { startDunning } from '../temporal/dunning';
import { bootstrapPeople, log, orderlyShutdown, printUrls } from './stack';

// `npm start`: the whole system in one process tree on embedded defaults.
// Orderly shutdown: API, then workers draining, then the database, then Temporal.
const stack = orderlyShutdown();

stack.run(async () => {
  const configured = loadConfig();
  await mkdir(configured.dataDir, { recursive: true });
  const config = await withPayloadKeys(configured, { create: true });
  const devServer = await maybeStartDevServer(config, log);
  if (devServer) stack.onStop(() => devServer.stop());

  const opened = await openDatabase(config, log);
  stack.onStop(() => opened.close());
  const db = opened.database.db;
  await bootstrapPeople(config, db);

  const client = await connectClient(config);
  stack.onStop(() => client.connection.close());
  const added = await registerSearchAttributes(client.connection, config.temporal.namespace);
  if (added.length) log(`Registered search attributes: ${added.join(', ')}`);

  const workerConnection = await connectWorker(config);
  stack.onStop(() => workerConnection.close());
  const workers = await startWorkers({ config, connection: workerConnection, deps: { db, config, temporal: client } });
  stack.onStop(() => workers.shutdown());
  await startDunning(client, config);
  workers.done.catch((error) => {
    console.error('[crmflow] worker stopped unexpectedly', error);
    void stack.shutdown(1);
  });

  const app = await buildApp({ config, database: opened.database, temporal: client, logger: true });
  stack.onStop(() => app.close());
  await app.listen({ host: config.api.host, port: config.api.port });
  printUrls(config);
});
