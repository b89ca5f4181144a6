import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SQLITE_PRAGMAS } from '../../temporal/dev-server';
import { startTemporal, type TestEnvironment } from '../../test/helpers/environment';
import { startHarness } from '../../test/helpers/harness';
import type { Figure, Size } from '../lib/figure';
import { against, concurrencyPlots, loadCell, markdownTable, measure, ratiosCell, type Curve } from '../lib/measure';
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

// The trivial workflow isolates the history store: no PostgreSQL, no code of ours in the loop. One at a
// time shows the cost of each durable write; with more in flight the server can batch them. Figure 2's
// engine steps per process translate the result into tickets and orders.
const LEVELS: Record<Size, number[]> = { smoke: [1, 2], full: [1, 4, 16] };
const WORKFLOWS: Record<Size, (concurrency: number) => number> = { smoke: (c) => 2 * c, full: (c) => Math.max(30, 10 * c) };
const WARM_UP: Record<Size, number> = { smoke: 0, full: 4 };

interface RungResult {
  rung: string;
  trivial: Curve;
}

export const persistenceLadder: Figure = {
  id: '3-persistence-ladder',
  title: 'Persistence ladder: dev server in memory vs SQLite file (default and WAL pragmas)',
  async run(env, size) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-bench-ladder-'));
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

async function measureRung(rung: Rung, env: TestEnvironment, size: Size): Promise<RungResult> {
  // Only the client and its codec are needed, not the app's workers.
  const h = await startHarness({ environment: env });
  const trivial = await startTrivialWorker(h);
  try {
    const execute = () => trivial.execute(randomUUID());
    await measure(WARM_UP[size], 2, execute);
    const curve: Curve = [];
    for (const concurrency of LEVELS[size]) curve.push({ concurrency, result: await measure(WORKFLOWS[size](concurrency), concurrency, execute) });
    return { rung: rung.name, trivial: curve };
  } finally {
    await trivial.stop();
    await h.close();
  }
}

function result(rungs: RungResult[]) {
  const [memory] = rungs;
  const normalised = rungs.map((r) => ({
    rung: r.rung,
    trivial: r.trivial.map(({ concurrency, result: load }, i) => ({ concurrency, ...against(load, memory!.trivial[i]!.result) })),
  }));
  const markdown = [
    'Each rung is a fresh dev server running the trivial one-activity workflow (figure 2\'s baseline) closed-loop:',
    'workflows/s · p50 / p99 ms, and in brackets the same ÷ the in-memory server\'s.',
    '',
    markdownTable(
      ['history store', ...memory!.trivial.map(({ concurrency }) => `concurrency ${concurrency}`)],
      rungs.map((r, i) => [r.rung, ...r.trivial.map(({ result: load }, j) => `${loadCell(load)} (${ratiosCell(normalised[i]!.trivial[j]!)})`)]),
    ),
  ].join('\n');
  return {
    data: { rungs, normalisedToInMemory: normalised },
    markdown,
    plots: concurrencyPlots({ file: 'persistence-ladder', title: 'Trivial workflow by history store', unit: 'workflows', curves: Object.fromEntries(rungs.map((r) => [r.rung, r.trivial])) }),
  };
}
