import { loadConfig } from '../config';
import { withPayloadKeys } from '../temporal/payload-keys';
import { openDatabase } from '../db/bootstrap';
import { bootstrapAdmin } from '../db/seed';
import { connectClient } from '../temporal/client';
import { startInboundSweep } from '../temporal/inbound';
import { buildApp } from './app';

// The API alone (docker-compose, production): listens, and closes cleanly on SIGTERM.
// Keys from CRM_PAYLOAD_KEYS, or the file `npm start` generated on this machine.
const config = await withPayloadKeys(loadConfig(), { create: false });
const opened = await openDatabase(config);
const admin = await bootstrapAdmin(opened.database.db, config.bootstrapAdminKey);
if (admin.apiKey) console.log(`[crmflow] Admin ${admin.userId} API key (shown once): ${admin.apiKey}`);
const temporal = await connectClient(config);
const app = await buildApp({ config, database: opened.database, temporal, logger: true });
if (config.inbound.port !== null) await startInboundSweep(temporal, config);
await app.listen({ host: config.api.host, port: config.api.port });

async function stop() {
  await app.close();
  await temporal.connection.close();
  await opened.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
