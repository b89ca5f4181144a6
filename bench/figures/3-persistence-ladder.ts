import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SQLITE_PRAGMAS } from '../../temporal/dev-server';
import { startTemporal } from '../../test/helpers/environment';
import { startBenchApp } from '../lib/app';
import type { BenchEnvironment } from '../lib/environment';
import type { Figure, Size } from '../lib/figure';
import { prepareLifecycles } from '../lib/lifecycles';
import { against, concurrencyPlots, loadCell, markdownTable, measure, ratiosCell, type Curve, type Ratios } from '../lib/measure';
import type { LoadResult } from '../lib/stats';
import { startTrivialWorker } from '../lib/trivial';

interface Rung {
  name: string;
  /** null: history in memory; else SQLite pragmas for a file (an empty list: SQLite's own defaults). */
  sqlitePragmas: readonly string[] | null;
}

const RUNGS: Rung[] = [
  { name: 'in memory', sqlitePragmas: null },
  { name: 'SQLite file, default pragmas', sqlitePragmas: [] },
  { name: `SQLite file, ${SQLITE_PRAGMAS.join(', ')}`, sqlitePragmas: SQLITE_PRAGMAS },
];

// The trivial workflow one at a time shows the cost of each durable write; at a concurrency of 16 the
// server can batch. Ticket lifecycles show what that does to a real process.
const TRIVIAL_LEVELS: Record<Size, number[]> = { smoke: [1, 2], full: [1, 16] };
const TRIVIAL: Record<Size, (concurrency: number) => number> = { smoke: (c) => 2 * c, full: (c) => Math.max(30, 10 * c) };
const TICKET_CONCURRENCY: Record<Size, number> = { smoke: 2, full: 8 };
const TICKETS: Record<Size, number> = { smoke: 2, full: 24 };
const WARM_UP: Record<Size, number> = { smoke: 0, full: 4 };

interface RungResult {
  rung: string;
  trivial: Curve;
  tickets: Curve[number];
}

export const persistenceLadder: Figure = {
  id: '3-persistence-ladder',
  title: 'Persistence ladder: dev server in memory vs SQLite file (default and WAL pragmas)',
  async run(env, size) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-bench-ladder-'));
    await chmod(dir, 0o755);
    // Started together (start-up is not measured), measured one after another.
    const servers = await Promise.all(RUNGS.map((rung, i) => startTemporal({
      logDir: dir, ui: false, dbFile: rung.sqlitePragmas === null ? null : path.join(dir, `rung-${i}.sqlite`), sqlitePragmas: rung.sqlitePragmas ?? undefined,
    })));
    try {
      const results: RungResult[] = [];
      for (const [i, rung] of RUNGS.entries()) results.push(await measureRung(rung, { ...env, temporalAddress: servers[i]!.address }, size));
      return result(results);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    }
  },
};

async function measureRung(rung: Rung, env: BenchEnvironment, size: Size): Promise<RungResult> {
  const app = await startBenchApp(env, ['tickets']);
  const trivial = await startTrivialWorker(app.h);
  try {
    const lifecycles = await prepareLifecycles(app);
    const execute = () => trivial.execute(randomUUID());
    await measure(WARM_UP[size], 2, execute);
    await measure(WARM_UP[size], 2, lifecycles.ticket);
    const curve: Curve = [];
    for (const concurrency of TRIVIAL_LEVELS[size]) curve.push({ concurrency, result: await measure(TRIVIAL[size](concurrency), concurrency, execute) });
    const concurrency = TICKET_CONCURRENCY[size];
    return { rung: rung.name, trivial: curve, tickets: { concurrency, result: await measure(TICKETS[size], concurrency, lifecycles.ticket) } };
  } finally {
    await trivial.stop();
    await app.close();
  }
}

function result(rungs: RungResult[]) {
  const [memory] = rungs;
  const normalised = rungs.map((r) => ({
    rung: r.rung,
    trivial: r.trivial.map(({ concurrency, result: load }, i) => ({ concurrency, ...against(load, memory!.trivial[i]!.result) })),
    tickets: { concurrency: r.tickets.concurrency, ...against(r.tickets.result, memory!.tickets.result) },
  }));
  const cell = (load: LoadResult, vs: Ratios) => `${loadCell(load)} (${ratiosCell(vs)})`;
  const markdown = [
    'Each rung is a fresh dev server running the same workloads: rate/s · p50 / p99 ms, and in brackets the same ÷ the in-memory server\'s.',
    '',
    markdownTable(
      ['history store', ...memory!.trivial.map(({ concurrency }) => `trivial workflow ×${concurrency}`), `ticket lifecycles ×${memory!.tickets.concurrency}`],
      rungs.map((r, i) => [r.rung, ...r.trivial.map(({ result: load }, j) => cell(load, normalised[i]!.trivial[j]!)), cell(r.tickets.result, normalised[i]!.tickets)]),
    ),
  ].join('\n');
  return {
    data: { rungs, normalisedToInMemory: normalised },
    markdown,
    plots: concurrencyPlots({ file: 'persistence-ladder', title: 'Trivial workflow by history store', unit: 'workflows', curves: Object.fromEntries(rungs.map((r) => [r.rung, r.trivial])) }),
  };
}
