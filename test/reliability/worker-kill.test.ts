import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PATIENT_PEOPLE, sized } from '../helpers/chaos';
import { freshDatabase } from '../helpers/fresh-database';
import { startHarness } from '../helpers/harness';
import { Gate, launchFleet, midway, PROCESS_KINDS, type Audit } from '../helpers/processes';
import { spawnWorker } from '../helpers/worker-process';

// Fault 1: the worker is killed (SIGKILL) with processes in flight and started again. Every activity
// waits a second after its write before it reports, so the kill leaves committed but unreported
// writes behind, which Temporal retries once their 30 s start-to-close timeout has passed.
// Full size: 70 of each of the three kinds, so more than 200 processes are in flight at the fault.
const PER_KIND = sized(5, 70);
const CONTROL_ORDERS = sized(4, 20);
const FAULTS = { CHAOS_REPORT_DELAY_MS: '1000' };

async function killWorkerMidway(perKind: number, options: { naiveInvoices: boolean; kinds?: typeof PROCESS_KINDS }): Promise<Record<string, Audit>> {
  // A database of its own: settings other files change on the shared one (a short confirmation
  // window, say) must not close this fleet's tickets before their agents confirm.
  const db = await freshDatabase();
  const h = await startHarness({ env: { DATABASE_URL: db.url, ...PATIENT_PEOPLE } });
  const faults = { ...FAULTS, ...(options.naiveInvoices ? { CHAOS_NAIVE_INVOICES: '1' } : {}) };
  let worker = await spawnWorker(h.config, faults);
  try {
    const fleet = await launchFleet(h, perKind, new Gate(), options.kinds);
    // Killed as soon as a quarter of the invoices exist: the ones just written have not been reported yet.
    await midway(h, fleet);
    await worker.kill();
    await sleep(1000);
    worker = await spawnWorker(h.config, faults);
    await fleet.driven;
    const audit = await fleet.audit();
    console.log(`[worker-kill${options.naiveInvoices ? ' control' : ''}] ${JSON.stringify(audit)}`);
    return audit;
  } finally {
    await worker.kill();
    await h.close();
    await db.drop();
  }
}

describe('a worker killed with processes in flight', () => {
  it.concurrent(`completes all ${PROCESS_KINDS.length * PER_KIND} tickets, orders and call-offs with nothing lost or duplicated`, async () => {
    const audit = await killWorkerMidway(PER_KIND, { naiveInvoices: false });
    for (const [kind, result] of Object.entries(audit)) expect(result, kind).toEqual({ completed: PER_KIND, lost: [], duplicated: [] });
  }, 300_000);

  it.concurrent('control: an invoice activity without its idempotency guard leaves duplicates the audit sees', async () => {
    const audit = await killWorkerMidway(CONTROL_ORDERS, { naiveInvoices: true, kinds: PROCESS_KINDS.filter((k) => k.name === 'order') });
    expect(audit.order!.duplicated.filter((problem) => problem.includes('invoices')).length).toBeGreaterThan(0);
  }, 300_000);
});
