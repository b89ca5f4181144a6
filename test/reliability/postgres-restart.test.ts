import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { runMigrations } from '../../db/migrate';
import { PATIENT_PEOPLE, sized } from '../helpers/chaos';
import { freePort } from '../helpers/environment';
import { offsetSequences } from '../helpers/fresh-database';
import { startHarness, type Harness } from '../helpers/harness';
import { Gate, launchFleet, midway, PROCESS_KINDS } from '../helpers/processes';

// Fault 2: PostgreSQL stops under load and comes back. Activities fail and retry; people wait at the
// gate (the API cannot serve them meanwhile). This file owns its PostgreSQL; the shared one is never touched.
// Full size: 70 of each of the three kinds, so more than 200 processes are in flight at the fault.
const PER_KIND = sized(5, 70);
const OUTAGE_MS = 4000;

let dir: string;
let port: number;
let pg: EmbeddedDatabase;
let h: Harness;
const startPostgres = () => startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), port, database: 'crmflow_restart', persistent: true });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-pg-restart-'));
  await chmod(dir, 0o755); // embedded PostgreSQL runs as `postgres` when we are root
  port = await freePort();
  pg = await startPostgres();
  const database = connectDatabase(pg.url, { max: 2 }); // the migrator holds a lock on one connection
  await runMigrations(database);
  await offsetSequences(database);
  await database.close();
  h = await startHarness({ worker: true, env: { DATABASE_URL: pg.url, ...PATIENT_PEOPLE } });
});
afterAll(async () => {
  await h?.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('PostgreSQL restarted under load', () => {
  it(`completes all ${PROCESS_KINDS.length * PER_KIND} tickets, orders and call-offs with nothing lost or duplicated`, async () => {
    const gate = new Gate();
    const fleet = await launchFleet(h, PER_KIND, gate);
    await midway(h, fleet);
    await gate.close();
    await pg.stop();
    await sleep(OUTAGE_MS);
    pg = await startPostgres();
    gate.open();
    await fleet.driven;
    const audit = await fleet.audit();
    console.log(`[postgres-restart] ${JSON.stringify(audit)}`);
    for (const [kind, result] of Object.entries(audit)) expect(result, kind).toEqual({ completed: PER_KIND, lost: [], duplicated: [] });
  }, 300_000);
});
