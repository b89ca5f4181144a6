import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import { spawnWorker } from '../../test/helpers/worker-process';
import type { Figure, Size } from '../lib/figure';
import { apiCaller, benchHarness, type BenchHarness } from '../lib/harness';
import { alternate, round, runLoad, type LatencySummary } from '../lib/stats';

// A worker process holding open tickets that wait on their SLA timers (priority low: 8 h to respond),
// measured against itself idle. With a cache large enough for all of them, every open workflow stays in
// memory; a small cache bounds memory and pays with a replay whenever an evicted ticket is touched.
interface Sizing {
  open: number;
  smallCacheOpen: number;
  smallCache: number;
  touches: number;
  warmUp: number;
  /** RSS samples taken this far apart once the process is quiet; their median counts. */
  settle: { samples: number; intervalMs: number };
}
const SIZES: Record<Size, Sizing> = {
  smoke: { open: 10, smallCacheOpen: 10, smallCache: 5, touches: 3, warmUp: 2, settle: { samples: 1, intervalMs: 200 } },
  full: { open: 5_000, smallCacheOpen: 500, smallCache: 100, touches: 50, warmUp: 20, settle: { samples: 5, intervalMs: 1_000 } },
};
const OPEN_CONCURRENCY = 32;

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return round(kb / 1024, 1);
}

/** RSS once the process has gone quiet: the median of a few samples. */
async function settledRss(pid: number, { samples, intervalMs }: Sizing['settle']): Promise<number> {
  const taken: number[] = [];
  for (let i = 0; i < samples; i++) {
    await sleep(intervalMs);
    taken.push(await rssMiB(pid));
  }
  return taken.sort((a, b) => a - b)[Math.floor(samples / 2)]!;
}

/**
 * What @temporalio/worker 1.24 picks when maxCachedWorkflows is unset (reuseV8Context, its default): 600
 * workflows per GiB of heap beyond 200 MiB, that is, it budgets 1024 / 600 ≈ 1.7 MiB per cached workflow.
 */
const SDK_BUDGET_KIB_PER_WORKFLOW = round((1024 * 1024) / 600, 0);
function sdkDefaultCache(): number {
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

interface Phase {
  cache: number;
  open: number;
  idleRssMiB: number;
  openRssMiB: number;
  perWorkflowKiB: number;
  ratioToIdle: number;
  opensPerSecond: number;
  /** GET /tickets/:id on the earliest opened tickets: a live query the worker answers from its cache or by replay. */
  queryLatency: LatencySummary;
}

async function phase(h: BenchHarness, customerId: string, sizing: Sizing, cache: number, open: number): Promise<Phase> {
  const worker = await spawnWorker(h.config, { CRM_WORKER_MAX_CACHED: String(cache) });
  try {
    const call = apiCaller(h);
    const openTicket = async () => (await call('agent', 'POST', '/tickets', { customerId, channel: 'web', category: 'fault', priority: 'low', subject: 'Slow line', description: 'Waits on its SLA timer' })).id as string;
    // The first tickets load the workflow bundle, the activities and the connection pool: that is the idle baseline.
    for (let i = 0; i < sizing.warmUp; i++) await openTicket();
    const idleRssMiB = await settledRss(worker.pid, sizing.settle);
    const ids: string[] = [];
    const load = await runLoad(open, OPEN_CONCURRENCY, async () => ids.push(await openTicket()));
    if (load.errors) throw new Error(`${load.errors} of ${open} tickets failed to open`);
    const openRssMiB = await settledRss(worker.pid, sizing.settle);
    const [queryLatency] = await alternate(sizing.touches, [() => call('manager', 'GET', `/tickets/${ids.shift()}`)]);
    return {
      cache, open, idleRssMiB, openRssMiB,
      perWorkflowKiB: round(((openRssMiB - idleRssMiB) * 1024) / open, 1),
      ratioToIdle: round(openRssMiB / idleRssMiB),
      opensPerSecond: load.perSecond,
      queryLatency: queryLatency!,
    };
  } finally {
    await worker.kill();
  }
}

export const workerMemory: Figure = {
  id: '5-worker-memory',
  title: 'Worker memory: RSS with open tickets waiting on timers',
  async run(env, size) {
    const sizing = SIZES[size];
    const { open, smallCacheOpen, smallCache, warmUp, settle } = sizing;
    const h = await benchHarness(env);
    try {
      const { id: customerId } = await apiCaller(h)('agent', 'POST', '/customers', { name: 'Bench memory customer', kind: 'enterprise', tier: 'standard', creditLimit: '1000.00' });
      // Room for every open ticket (and the warm-up) so none is evicted: the memory of holding them all.
      const holdAll = await phase(h, customerId, sizing, open + warmUp + 100, open);
      const bounded = await phase(h, customerId, sizing, smallCache, smallCacheOpen);
      const phases = [holdAll, bounded];
      const markdown = [
        `A worker in its own OS process (test/helpers/worker-process.ts) for the ticket, order and contract queues. Baseline: the same process`,
        `idle after ${warmUp} warm-up tickets (workflow bundle, activities and connection pool loaded). Then tickets are opened over the API`,
        `(concurrency ${OPEN_CONCURRENCY}); each waits on its SLA timers. RSS is VmRSS from /proc, the median of ${settle.samples} sample(s) ${settle.intervalMs} ms apart once quiet.`,
        `Query latency: GET /tickets/:id (a live workflow query) on the earliest opened tickets, answered from the cache or by replaying`,
        `the history when evicted. CRM_WORKER_MAX_CACHED is set explicitly; unset, SDK 1.24 would cache ${sdkDefaultCache()} workflows on this machine,`,
        `sizing its default for ${SDK_BUDGET_KIB_PER_WORKFLOW} KiB per cached workflow: the "share of SDK budget" column compares with that.`,
        '',
        '| cache (CRM_WORKER_MAX_CACHED) | open tickets | idle RSS MiB | RSS MiB with them open | ratio to idle | KiB per open workflow | share of SDK budget | query p50 ms | query p99 ms |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...phases.map((p) => `| ${p.cache} | ${p.open} | ${p.idleRssMiB} | ${p.openRssMiB} | ${p.ratioToIdle} | ${p.perWorkflowKiB} | ${round((p.perWorkflowKiB / SDK_BUDGET_KIB_PER_WORKFLOW) * 100, 1)} % | ${p.queryLatency.p50} | ${p.queryLatency.p99} |`),
      ].join('\n');
      return { data: { sdkDefaultCache: sdkDefaultCache(), sdkBudgetKiBPerWorkflow: SDK_BUDGET_KIB_PER_WORKFLOW, openConcurrency: OPEN_CONCURRENCY, phases }, markdown };
    } finally {
      await h.close();
    }
  },
};
