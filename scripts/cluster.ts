import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db/bootstrap';
import { NUM_HISTORY_SHARDS } from '../temporal/cluster-config';
import { withPayloadKeys } from '../temporal/payload-keys';
import { ensureServerBinaries, TEMPORAL_SERVER_VERSION } from '../temporal/server-build';
import { CLUSTER_WORKER_REPLICAS, startProduction } from './production';
import { bootstrapPeople, inOwnProcessGroup, log, orderlyShutdown, printUrls } from './stack';

// `npm run cluster`: the production topology on one machine (README "Production"). Everything it keeps
// lives under CRM_DATA_DIR/cluster, so it never touches the dev server's data of `npm start`.
// `npm run cluster -- --build` only builds (or finds) the server binaries, as CI does once.
if (inOwnProcessGroup()) {
  const stack = orderlyShutdown();
  stack.run(() => start(stack));
}

async function start(stack: ReturnType<typeof orderlyShutdown>) {
  const binaries = await ensureServerBinaries({ log });
  if (process.argv.includes('--build')) {
    log(`Temporal Server v${TEMPORAL_SERVER_VERSION}: ${binaries.server}`);
    return;
  }
  const base = loadConfig();
  const dataDir = path.join(base.dataDir, 'cluster');
  await mkdir(dataDir, { recursive: true });
  const config = await withPayloadKeys({ ...base, dataDir }, { create: true });

  const opened = await openDatabase(config, log);
  stack.onStop(() => opened.close());
  await bootstrapPeople(config, opened.database.db);

  const production = await startProduction({ config, databaseUrl: opened.url, binaries, workerCount: CLUSTER_WORKER_REPLICAS, log });
  stack.onStop(() => production.stop());
  const pids = (names: Array<{ name: string; pid(): number | null }>) => names.map((p) => `${p.name} ${p.pid()}`).join(', ');
  printUrls(config, [
    ['Temporal', `${production.cluster.address} (Temporal Server v${TEMPORAL_SERVER_VERSION}, ${NUM_HISTORY_SHARDS} history shards, PostgreSQL databases ${production.cluster.databases.persistence} and ${production.cluster.databases.visibility})`],
    ['Processes', `${pids(Object.values(production.cluster.services))}; ${pids([production.api, ...production.workers])}`],
    ['Logs', path.join(config.dataDir, 'logs') + ', ' + path.join(config.dataDir, 'temporal', 'logs')],
  ]);
}
