import { randomUUID } from 'node:crypto';
import { startBenchApp } from '../lib/app';
import type { Figure, Size } from '../lib/figure';
import { lifecycles } from '../lib/lifecycles';
import { against, concurrencyPlots, engineSteps, loadCell, markdownTable, measure, ratiosCell, type Curve, type EngineSteps } from '../lib/measure';
import { summarise, type LatencySummary } from '../lib/stats';
import { startTrivialWorker } from '../lib/trivial';

const LEVELS: Record<Size, number[]> = { smoke: [1, 2], full: [1, 4, 16] };
// Whole lifecycles take hundreds of milliseconds each, so a level runs a few per caller; the trivial
// workflow is an order of magnitude cheaper and gets more.
const PROCESSES: Record<Size, (concurrency: number) => number> = { smoke: (c) => c, full: (c) => Math.max(8, 2 * c) };
const TRIVIAL: Record<Size, (concurrency: number) => number> = { smoke: (c) => 2 * c, full: (c) => Math.max(30, 10 * c) };

const WARM_UP: Record<Size, number> = { smoke: 0, full: 4 };
// One person clicking "claim" at a time: the answer a supporter waits for (issue 14's ≤ 25 ms p50).
const CLAIMS: Record<Size, number> = { smoke: 2, full: 40 };

type Workload = 'trivial' | 'ticket' | 'order';
const WORKLOADS: Workload[] = ['trivial', 'ticket', 'order'];
const LABELS: Record<Workload, string> = { trivial: 'trivial workflow (baseline)', ticket: 'ticket lifecycle', order: 'order lifecycle' };

export const processThroughput: Figure = {
  id: '2-process-throughput',
  title: 'Process throughput: ticket and order lifecycles over HTTP vs a trivial workflow',
  async run(env, size) {
    const app = await startBenchApp(env, ['tickets', 'orders']);
    const trivial = await startTrivialWorker(app.h);
    try {
      const drive = lifecycles(app.api.call, app.h.client);
      // A few customers and products, so orders do not all queue on one stock row or one credit position.
      const masterData = await Promise.all(Array.from({ length: 8 }, () => drive.masterData(1_000_000)));
      let next = 0;
      const pick = () => masterData[next++ % masterData.length]!;
      const workloads: Record<Workload, { count: (c: number) => number; run: () => Promise<string> }> = {
        trivial: { count: TRIVIAL[size], run: () => trivial.execute(randomUUID()) },
        ticket: { count: PROCESSES[size], run: async () => (await drive.ticket(pick().customerId)).workflowId },
        order: { count: PROCESSES[size], run: async () => { const { customerId, sku } = pick(); return (await drive.creditOrder(customerId, sku)).workflowId; } },
      };
      // One finished workflow of each kind tells what the engine does per process.
      const steps = Object.fromEntries(await Promise.all(WORKLOADS.map(async (name) =>
        [name, await engineSteps(app.h.client, await workloads[name].run())] as const))) as Record<Workload, EngineSteps>;
      for (const name of WORKLOADS) await measure(WARM_UP[size], 2, workloads[name].run);

      const curves: Record<Workload, Curve> = { trivial: [], ticket: [], order: [] };
      const pollsBefore = drive.polls();
      for (const [index, concurrency] of LEVELS[size].entries()) {
        // Alternating the order cancels some of the drift of a busy machine.
        for (const name of index % 2 ? [...WORKLOADS].reverse() : WORKLOADS) {
          curves[name].push({ concurrency, result: await measure(workloads[name].count(concurrency), concurrency, workloads[name].run) });
        }
      }
      const ordersMeasured = curves.order.reduce((n, { result }) => n + result.latency.n, 0);
      const pollsPerOrder = Math.round(((drive.polls() - pollsBefore) / ordersMeasured) * 10) / 10;
      const claims: number[] = [];
      for (let i = 0; i < CLAIMS[size]; i++) await drive.ticket(pick().customerId, (ms) => claims.push(ms));
      return result(curves, steps, pollsPerOrder, summarise(claims));
    } finally {
      await trivial.stop();
      await app.close();
    }
  },
};

function result(curves: Record<Workload, Curve>, steps: Record<Workload, EngineSteps>, pollsPerOrder: number, claim: LatencySummary) {
  const levels = curves.trivial.map(({ concurrency, result: trivial }, i) => {
    const [ticket, order] = [curves.ticket[i]!.result, curves.order[i]!.result];
    return { concurrency, trivial, ticket, order, ticketOverTrivial: against(ticket, trivial), orderOverTrivial: against(order, trivial) };
  });
  const markdown = [
    'Completed processes/s · p50 / p99 ms per process at each concurrency, and each lifecycle ÷ the trivial workflow on the same server.',
    `A ticket lifecycle is 5 requests; an order 3 requests plus ${pollsPerOrder} polls (on average) for \`fulfilling\`; each waits for its workflow to finish.`,
    `Engine steps per process (workflow tasks + activities): ${WORKLOADS.map((name) => `${name} ${steps[name].workflowTasks} + ${steps[name].activities}`).join(', ')}.`,
    `\`POST /tickets/:id/claim\` at concurrency 1 (${claim.n} claims, each on a ticket just escalated to L2): p50 ${claim.p50} ms, p99 ${claim.p99} ms.`,
    '',
    markdownTable(
      ['concurrency', LABELS.trivial, LABELS.ticket, LABELS.order, 'ticket ÷ trivial', 'order ÷ trivial'],
      levels.map((l) => [l.concurrency, loadCell(l.trivial), loadCell(l.ticket), loadCell(l.order), ratiosCell(l.ticketOverTrivial), ratiosCell(l.orderOverTrivial)]),
    ),
  ].join('\n');
  const named = Object.fromEntries(Object.entries(curves).map(([name, curve]) => [LABELS[name as Workload], curve]));
  return { data: { levels, engineSteps: steps, pollsPerOrder, claim }, markdown, plots: concurrencyPlots({ file: 'process-throughput', title: 'Completed processes', unit: 'processes', curves: named }) };
}
