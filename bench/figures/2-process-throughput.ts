import { randomUUID } from 'node:crypto';
import { startBenchApp } from '../lib/app';
import type { Figure, Size } from '../lib/figure';
import { prepareLifecycles } from '../lib/lifecycles';
import { concurrencyPlots, markdownTable, measure, ratio, type Curve } from '../lib/measure';
import { startTrivialWorker } from '../lib/trivial';

const LEVELS: Record<Size, number[]> = { smoke: [1, 2], full: [1, 4, 16] };
// Whole lifecycles take hundreds of milliseconds each, so a level runs a few per caller; the trivial
// workflow is an order of magnitude cheaper and gets more.
const PROCESSES: Record<Size, (concurrency: number) => number> = { smoke: (c) => c, full: (c) => Math.max(8, 2 * c) };
const TRIVIAL: Record<Size, (concurrency: number) => number> = { smoke: (c) => 2 * c, full: (c) => Math.max(30, 10 * c) };

const WARM_UP: Record<Size, number> = { smoke: 0, full: 4 };

type Workload = 'trivial' | 'ticket' | 'order';
const LABELS: Record<Workload, string> = { trivial: 'trivial workflow (baseline)', ticket: 'ticket lifecycle', order: 'order lifecycle' };

export const processThroughput: Figure = {
  id: '2-process-throughput',
  title: 'Process throughput: ticket and order lifecycles over HTTP vs a trivial workflow',
  async run(env, size) {
    const app = await startBenchApp(env, ['tickets', 'orders']);
    const trivial = await startTrivialWorker(app.h);
    try {
      const lifecycles = await prepareLifecycles(app);
      const workloads: Record<Workload, { count: (c: number) => number; run: () => Promise<unknown> }> = {
        trivial: { count: TRIVIAL[size], run: () => trivial.execute(randomUUID()) },
        ticket: { count: PROCESSES[size], run: lifecycles.ticket },
        order: { count: PROCESSES[size], run: lifecycles.order },
      };
      const names = Object.keys(workloads) as Workload[];
      for (const name of names) await measure(WARM_UP[size], 2, workloads[name].run);

      const curves: Record<Workload, Curve> = { trivial: [], ticket: [], order: [] };
      const ordersBefore = lifecycles.orderPolls();
      for (const [index, concurrency] of LEVELS[size].entries()) {
        // Alternating the order cancels some of the drift of a busy machine.
        for (const name of index % 2 ? [...names].reverse() : names) {
          curves[name].push({ concurrency, result: await measure(workloads[name].count(concurrency), concurrency, workloads[name].run) });
        }
      }
      const ordersMeasured = curves.order.reduce((n, { result }) => n + result.latency.n, 0);
      const pollsPerOrder = Math.round(((lifecycles.orderPolls() - ordersBefore) / ordersMeasured) * 10) / 10;
      return result(curves, pollsPerOrder);
    } finally {
      await trivial.stop();
      await app.close();
    }
  },
};

function result(curves: Record<Workload, Curve>, pollsPerOrder: number) {
  const levels = curves.trivial.map(({ concurrency, result: trivial }, i) => {
    const ticket = curves.ticket[i]!.result;
    const order = curves.order[i]!.result;
    return { concurrency, trivial, ticket, order, ticketOverTrivial: ratio(ticket.perSecond, trivial.perSecond), orderOverTrivial: ratio(order.perSecond, trivial.perSecond) };
  });
  const cell = (r: { perSecond: number; latency: { p50: number; p99: number } }) => `${r.perSecond} · ${r.latency.p50} / ${r.latency.p99}`;
  const markdown = [
    'Completed processes/s · p50 / p99 ms per process at each concurrency, and the rate ÷ the trivial workflow\'s on the same server.',
    `A ticket lifecycle is 5 requests; an order 3 requests plus ${pollsPerOrder} polls (on average) for \`fulfilling\`; each waits for its workflow to finish.`,
    '',
    markdownTable(
      ['concurrency', LABELS.trivial, LABELS.ticket, LABELS.order, 'ticket ÷ trivial', 'order ÷ trivial'],
      levels.map((l) => [l.concurrency, cell(l.trivial), cell(l.ticket), cell(l.order), l.ticketOverTrivial, l.orderOverTrivial]),
    ),
  ].join('\n');
  const named = Object.fromEntries(Object.entries(curves).map(([name, curve]) => [LABELS[name as Workload], curve]));
  return { data: { levels, pollsPerOrder }, markdown, plots: concurrencyPlots({ file: 'process-throughput', title: 'Completed processes', unit: 'processes', curves: named }) };
}
