import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startBenchApp } from '../lib/app';
import { cpuByGroup } from '../lib/cpu';
import { startBenchEnvironment } from '../lib/environment';
import { lifecycles } from '../lib/lifecycles';
import { runLoad } from '../lib/stats';
import { startTrivialWorker } from '../lib/trivial';

// Where a lifecycle's CPU goes, next to the trivial workflow's: CPU seconds of this process (API, client,
// worker: Node and Core) and of every process it started (the Temporal dev server, PostgreSQL), read from
// /proc before and after a batch at one concurrency. `npx tsx bench/tools/cpu-per-step.ts [concurrency] [count]`.

function snapshot(): Record<string, number> {
  return cpuByGroup((_pid, name) => (name.startsWith('postgres') ? 'postgres' : name.startsWith('temporal') ? 'temporal' : 'other'));
}

async function perUnit(label: string, count: number, concurrency: number, run: () => Promise<unknown>) {
  const before = snapshot();
  const started = performance.now();
  const result = await runLoad(count, concurrency, run);
  const wallMs = performance.now() - started;
  const after = snapshot();
  const cpu = Object.fromEntries(Object.keys(after).map((k) => [k, Math.round(((after[k]! - (before[k] ?? 0)) / count) * 10) / 10]));
  console.log(JSON.stringify({ label, count, concurrency, perSecond: Math.round((count / wallMs) * 1000 * 10) / 10, errors: result.errors, cpuMsPerUnit: cpu }));
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const concurrency = Number(process.argv[2] ?? 16);
const count = Number(process.argv[3] ?? 160);
const environment = await startBenchEnvironment();
const app = await startBenchApp(environment, ['tickets']);
const trivial = await startTrivialWorker(app.h);
try {
  const drive = lifecycles(app.api.call, app.h.client);
  const customers = await Promise.all(Array.from({ length: 8 }, () => drive.masterData(1_000)));
  let next = 0;
  await perUnit('warm-up', 16, 4, () => drive.ticket(customers[next++ % 8]!.customerId));
  await perUnit('trivial workflow', count * 2, concurrency, () => trivial.execute(randomUUID()));
  await perUnit('ticket lifecycle', count / 2, concurrency, () => drive.ticket(customers[next++ % 8]!.customerId));
  await perUnit('trivial workflow', count * 2, concurrency, () => trivial.execute(randomUUID()));
  await perUnit('ticket lifecycle', count / 2, concurrency, () => drive.ticket(customers[next++ % 8]!.customerId));
} finally {
  await trivial.stop();
  await app.close();
  await environment.stop();
}
process.exit(0);
