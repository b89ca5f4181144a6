import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './client';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

// drizzle's migrator takes an advisory-free lock-less path, so concurrent starters (API and worker
// replicas) serialise on a session advisory lock of our own.
export async function runMigrations(database: Database): Promise<void> {
  await database.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('crmflow-migrations'))`;
    await migrate(database.db, { migrationsFolder: MIGRATIONS });
  });
}
