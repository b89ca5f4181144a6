import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../db/client';
import { runMigrations } from '../../db/migrate';

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own on the run's PostgreSQL server (or `serverUrl`'s, for the benchmarks), migrated:
 * for tests that change global settings or compare whole tables, which other files running alongside
 * must not disturb.
 */
export async function freshDatabase(serverUrl: string = inject('crm').databaseUrl): Promise<FreshDatabase> {
  const name = `crmflow_${randomUUID().slice(0, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = connectDatabase(url.toString(), { max: 2 });
  await runMigrations(database);
  await offsetSequences(database);
  await database.close();
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Every database numbers from 1, but test files share one Temporal server: start a database's sequences
 * at a random offset so its customers, tickets and orders (and so its workflow ids and search attribute
 * values) never meet another file's.
 */
export async function offsetSequences(database: Database): Promise<void> {
  const offset = 100_000 + Math.floor(Math.random() * 800_000);
  await database.sql`select setval(format('%I.%I', schemaname, sequencename), ${offset}) from pg_sequences where schemaname = 'public'`;
}
