import { loadConfig } from '../config';
import { withPayloadKeys } from './payload-keys';
import { openDatabase } from '../db/bootstrap';
import { connectClient, connectWorker } from './client';
import { registerSearchAttributes } from './search-attributes';
import { startWorkers } from './worker';

// A worker replica (docker-compose `--scale worker=N`): registers search attributes, polls, drains on SIGTERM.
// Keys from CRM_PAYLOAD_KEYS, or the file `npm start` generated on this machine.
const config = await withPayloadKeys(loadConfig(), { create: false });
const opened = await openDatabase(config);
const client = await connectClient(config);
await registerSearchAttributes(client.connection, config.temporal.namespace);
await client.connection.close();
const connection = await connectWorker(config);
const workers = await startWorkers({ config, connection, deps: { db: opened.database.db, config } });
console.log(`[crmflow] worker polling ${workers.workers.map((w) => w.options.taskQueue).join(', ')}`);
const stop = () => void workers.shutdown();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
await workers.done;
await connection.close();
await opened.close();
