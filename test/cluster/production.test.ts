import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveTemporalCli } from '../../temporal/cli';
import { NUM_HISTORY_SHARDS } from '../../temporal/cluster-config';
import { TEMPORAL_SERVER_VERSION } from '../../temporal/server-build';
import { contractDriver } from '../helpers/contracts';
import { startHarness, type Harness } from '../helpers/harness';
import { Gate, launchFleet } from '../helpers/processes';

// crmflow on the production topology (test/helpers/cluster-global-setup.ts, the code of `npm run cluster`):
// what the cluster is, and one whole ticket, order and contract lifecycle worked by its two worker
// processes. test/integration/manager-filters.test.ts runs in this project too, so the README's filters
// are checked against the SQL visibility store.

const run = promisify(execFile);
const cluster = inject('cluster');
let h: Harness;

// No in-process worker, and no task-queue prefix: the cluster's own worker processes do the work.
beforeAll(async () => {
  h = await startHarness({ env: { CRM_TASK_QUEUE_PREFIX: '' } });
});
afterAll(async () => {
  await h?.close();
});

describe('the production cluster', () => {
  it(`is a Temporal Server ${TEMPORAL_SERVER_VERSION} on PostgreSQL with ${NUM_HISTORY_SHARDS} history shards and SQL visibility, as temporal operator cluster describe reports`, async () => {
    const cli = await resolveTemporalCli({ explicit: process.env.TEMPORAL_CLI || null });
    expect(cli, 'the Temporal CLI (TEMPORAL_CLI, PATH or .cache/bin) describes the cluster').not.toBeNull();
    const { stdout } = await run(cli!, ['operator', 'cluster', 'describe', '--address', cluster.frontendAddress, '--output', 'json']);
    expect(JSON.parse(stdout)).toMatchObject({
      serverVersion: TEMPORAL_SERVER_VERSION, historyShardCount: NUM_HISTORY_SHARDS, persistenceStore: 'postgres12', visibilityStore: 'postgres12',
    });
  });

  it('runs frontend, history, matching and the internal worker as four processes, and crmflow as an API and two worker processes', () => {
    expect(Object.keys(cluster.servicePids).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
    const pids = [...Object.values(cluster.servicePids), ...cluster.workerPids];
    expect(new Set(pids).size).toBe(6);
    for (const pid of pids) expect(() => process.kill(pid!, 0), `process ${pid} runs`).not.toThrow();
  });

  it('serves the API over HTTP, reaching Temporal and PostgreSQL, and the Web UI', async () => {
    const health = await fetch(`${cluster.apiUrl}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', temporal: { ok: true }, database: { ok: true } });
    expect((await fetch(cluster.uiUrl)).status).toBe(200);
  });

  it('works a ticket, a credit order and a call-off against a new contract to their ends on its worker processes, each step once', async () => {
    const fleet = await launchFleet(h, 1, new Gate());
    await fleet.driven;
    const audits = await fleet.audit();
    for (const [kind, audit] of Object.entries(audits)) expect(audit, kind).toEqual({ completed: 1, lost: [], duplicated: [] });

    // The contract's lifecycle to its end: drafted, approved, signed and active (launchFleet), drawn down
    // by the call-off, then terminated.
    const c = contractDriver(h);
    const contractId = fleet.shared['call-off']!.contractId as string;
    expect((await c.get(contractId)).consumption.consumed.value).toBe('8.00'); // one unit at the contract price
    await c.act('contract_admin', contractId, 'terminate', { reason: 'end of the test', effectiveDate: c.inMs(500) });
    await c.status(contractId, 'terminated');

    // Worked by the cluster's worker processes (the SDK's identity starts with the process id), not by this one.
    const ticketId = fleet.ids.ticket![0]!;
    const history = await h.client.workflow.getHandle(`ticket-${ticketId}`).fetchHistory();
    const workers = new Set((history.events ?? []).map((e) => e.workflowTaskCompletedEventAttributes?.identity).filter(Boolean).map((id) => Number(id!.split('@')[0])));
    expect(workers.size).toBeGreaterThan(0);
    for (const pid of workers) expect(cluster.workerPids).toContain(pid);
  });
});
