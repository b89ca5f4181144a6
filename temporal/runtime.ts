import path from 'node:path';
import type { Config } from '../config';
import { resolveTemporalCli } from './cli';
import { startDevServer, type DevServer } from './dev-server';

/** Starts the local Temporal dev server (SQLite file under the data directory, Web UI) when configured to. */
export async function maybeStartDevServer(config: Config, log: (line: string) => void): Promise<DevServer | null> {
  if (!config.temporal.startDevServer) return null;
  const cli = await resolveTemporalCli({ explicit: config.temporal.cliPath, log });
  const port = Number(config.temporal.address.split(':').pop());
  const server = await startDevServer({
    cli,
    port,
    uiPort: config.temporal.uiPort,
    uiCodecEndpoint: config.temporal.codecEndpoint,
    dbFile: path.join(config.dataDir, 'temporal', 'temporal.sqlite'),
    namespace: config.temporal.namespace,
    logFile: path.join(config.dataDir, 'logs', 'temporal.log'),
  });
  log(`Temporal dev server on ${server.address} (${cli ?? 'SDK-downloaded CLI'}), history in ${path.join(config.dataDir, 'temporal')}`);
  return server;
}
