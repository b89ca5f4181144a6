import { loadConfig } from '../config';
import { withPayloadKeys } from './payload-keys';
import { openDatabase } from '../db/bootstrap';
import { connectClient, connectWorker } from './client';
import { registerSearchAttributes } from './search-attributes';
import { startDunning } from './dunning';
import { startWorkers } from './worker';

// A worker replica (docker-compose `--scale worker=N`): registers search attributes, polls, drains on SIGTERM.
// Keys from CRM_PAYLOAD_KEYS, or the file `npm start` generated on this machine.
const config = await withPayloadKeys(loadConfig(), { create: false });
const opened = await openDatabase(config);
const client = await connectClient(config);
await registerSearchAttributes(client.connection, config.temporal.namespace);
await startDunning(client, config);
const connection = await connectWorker(config);
// The client stays open: activities use it to signal workflows (a fully consumed contract).
const workers = await startWorkers({ config, connection, deps: { db: opened.database.db, config, temporal: client } });
console.log(`[crmflow] worker polling ${workers.workers.map((w) => w.options.taskQueue).join(', ')}`);
const stop = () => void workers.shutdown();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
await workers.done;
await connection.close();
await client.connection.close();
await opened.close();
