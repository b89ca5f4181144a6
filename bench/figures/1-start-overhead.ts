import { setTimeout as sleep } from 'node:timers/promises';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { taskQueue } from '../../config';
import { formatNumber, workflowIdFor } from '../../domain/ids';
import { publicText } from '../../domain/public-text';
import { CrmCustomerId, CrmCustomerTier, CrmKind, CrmPriority, CrmStatus, CrmTier } from '../../domain/search-attributes';
import type { CustomerTier } from '../../domain/sla';
import { ticketSummary } from '../../domain/tickets';
import { uniq, type Harness } from '../../test/helpers/harness';
import { TICKET_WORKFLOW, ticketOpened, type TicketInput, type TicketWorkflow } from '../../domain/processes/ticket';
import { startBenchApp } from '../lib/app';
import type { Figure, Size } from '../lib/figure';
import { against, concurrencyPlots, loadCell, markdownTable, measure, ratiosCell, type Curve } from '../lib/measure';

// Smoke runs the same code at two small levels: it keeps the figure working, it measures nothing.
const LEVELS: Record<Size, number[]> = { smoke: [1, 4], full: [1, 8, 32, 64] };
// Starts per side and level: every caller starts a few at full size, so p99 has some samples behind it.
const STARTS: Record<Size, (concurrency: number) => number> = { smoke: (c) => c, full: (c) => 40 + 3 * c };
const WARM_UP: Record<Size, number> = { smoke: 2, full: 24 };
const DRAIN_WITHIN_MS = 120_000;

const BODY = { channel: 'phone', category: 'fault', priority: 'normal', subject: 'Line down', description: 'No dial tone since Monday' } as const;

type Side = 'api' | 'rawUpdateWithStart' | 'rawStart';
const LABELS: Record<Side, string> = { api: 'POST /tickets (HTTP)', rawUpdateWithStart: 'raw update-with-start', rawStart: 'raw workflow.start' };

/**
 * The arguments POST /tickets gives Temporal (api/routes/tickets.ts), for a ticket number of our own:
 * the baselines start the same workflow with the same input, search attributes and summary.
 */
function startOptions(h: Harness, number: string, customer: { id: string; tier: CustomerTier }) {
  const input: TicketInput = { number, customerId: customer.id, ...BODY, actor: { id: h.users.agent.id, name: 'Test agent', roles: ['agent'] } };
  return {
    workflowId: workflowIdFor('ticket', number),
    taskQueue: taskQueue(h.config, 'tickets'),
    args: [input] as [TicketInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    staticSummary: publicText(ticketSummary({ number, customerTier: customer.tier, priority: input.priority, category: input.category })),
    staticDetails: publicText(`Customer ${customer.id} via ${input.channel}`),
    typedSearchAttributes: [
      { key: CrmKind, value: 'ticket' }, { key: CrmStatus, value: 'new' }, { key: CrmTier, value: 'L1' },
      { key: CrmCustomerId, value: customer.id }, { key: CrmCustomerTier, value: customer.tier }, { key: CrmPriority, value: input.priority },
    ],
  };
}

export const startOverhead: Figure = {
  id: '1-start-overhead',
  title: 'Start overhead: POST /tickets vs raw workflow start',
  async run(env, size) {
    const app = await startBenchApp(env, ['tickets']);
    const { h, api } = app;
    try {
      const customer = await api.call<{ id: string; tier: CustomerTier }>('agent', 'POST', '/customers', { name: `Bench ${uniq()}`, kind: 'enterprise', tier: 'standard', creditLimit: '1000.00' });
      // Baseline tickets get numbers of their own, outside the API's sequence.
      const prefix = `TB${uniq()}`;
      let numbered = 0;
      const nextNumber = () => formatNumber(prefix, new Date().getUTCFullYear(), ++numbered);
      const operations: Record<Side, () => Promise<unknown>> = {
        api: () => api.call('agent', 'POST', '/tickets', { customerId: customer.id, ...BODY }),
        rawUpdateWithStart: () => h.client.workflow.executeUpdateWithStart(ticketOpened, {
          startWorkflowOperation: new WithStartWorkflowOperation<TicketWorkflow>(TICKET_WORKFLOW, startOptions(h, nextNumber(), customer)),
        }),
        rawStart: () => h.client.workflow.start<TicketWorkflow>(TICKET_WORKFLOW, startOptions(h, nextNumber(), customer)),
      };
      // A bare start returns before the worker has run the workflow's intake; that work is waited for
      // after the measurement, so it never lands on the next one.
      const drained = async () => {
        const until = Date.now() + DRAIN_WITHIN_MS;
        const recorded = async () => (await h.database.sql<{ n: number }[]>`select count(*)::int as n from tickets where id like ${`${prefix}-%`}`)[0]!.n;
        while ((await recorded()) < numbered) {
          if (Date.now() > until) throw new Error(`baseline tickets not recorded within ${DRAIN_WITHIN_MS} ms`);
          await sleep(50);
        }
      };
      const sides = Object.keys(operations) as Side[];
      for (const side of sides) await measure(WARM_UP[size], 8, operations[side]);
      await drained();

      const curves: Record<Side, Curve> = { api: [], rawUpdateWithStart: [], rawStart: [] };
      for (const [index, concurrency] of LEVELS[size].entries()) {
        // Alternating the order cancels some of the drift of a busy machine.
        for (const side of index % 2 ? [...sides].reverse() : sides) {
          const result = await measure(STARTS[size](concurrency), concurrency, operations[side]);
          curves[side].push({ concurrency, result });
          await drained();
        }
      }
      return result(LEVELS[size], curves);
    } finally {
      await app.close();
    }
  },
};

function result(concurrencies: number[], curves: Record<Side, Curve>) {
  const levels = concurrencies.map((concurrency, i) => {
    const [api, rawUpdateWithStart, rawStart] = [curves.api[i]!.result, curves.rawUpdateWithStart[i]!.result, curves.rawStart[i]!.result];
    return { concurrency, api, rawUpdateWithStart, rawStart, apiOverRawUpdateWithStart: against(api, rawUpdateWithStart), apiOverRawStart: against(api, rawStart) };
  });
  const markdown = [
    'Starts/s · p50 / p99 ms at each concurrency, and API ÷ baseline for the same three. POST /tickets and the raw update-with-start',
    'both wait until the worker has recorded the ticket; raw workflow.start only until the server has accepted the start.',
    '',
    markdownTable(
      ['concurrency', LABELS.api, LABELS.rawUpdateWithStart, LABELS.rawStart, 'API ÷ update-with-start', 'API ÷ workflow.start'],
      levels.map((l) => [l.concurrency, loadCell(l.api), loadCell(l.rawUpdateWithStart), loadCell(l.rawStart), ratiosCell(l.apiOverRawUpdateWithStart), ratiosCell(l.apiOverRawStart)]),
    ),
  ].join('\n');
  const named = Object.fromEntries(Object.entries(curves).map(([side, curve]) => [LABELS[side as Side], curve]));
  return { data: { levels }, markdown, plots: concurrencyPlots({ file: 'start-overhead', title: 'Ticket starts', unit: 'starts', curves: named }) };
}
