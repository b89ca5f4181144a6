import type { Figure, Size } from '../lib/figure';
import { apiCaller, benchHarness, type BenchHarness } from '../lib/harness';
import { workflowRuns } from '../lib/history';
import { lifecycles, type Lifecycle } from '../lib/lifecycles';
import { round, runLoad } from '../lib/stats';
import { difference, isBegin, serverStatementCounter, totalCalls, transactions, type StatementCounts } from '../lib/statements';

// What a complete process costs the database, against what one authenticated read request costs it
// (the baseline, same run, counted the same way).
const INSTANCES: Record<Size, number> = { smoke: 2, full: 20 };
const CONCURRENCY = 4;

type ServerCounter = Awaited<ReturnType<typeof serverStatementCounter>>;

/** Counts the statements `work` causes: on the server where it can, always on the client. */
function meter(client: { statements: number; begins: number }, server: ServerCounter) {
  return async <T>(work: () => Promise<T>) => {
    const before = { server: await server?.snapshot(), client: { ...client } };
    const result = await work();
    const after = await server?.snapshot();
    const statements = before.server && after ? difference(after, before.server) : null;
    return {
      result,
      statements,
      server: statements ? { statements: totalCalls(statements), transactions: transactions(statements) } : null,
      client: { statements: client.statements - before.client.statements, transactions: client.begins - before.client.begins },
    };
  };
}

const EVENTS_TABLE = { ticket: ['ticket_events', 'ticket_id'], order: ['order_events', 'order_id'], contract: ['contract_events', 'contract_id'] } as const;

async function transitions(h: BenchHarness, driven: Lifecycle[]): Promise<number> {
  const [table, column] = EVENTS_TABLE[driven[0]!.kind];
  const ids = driven.map((d) => d.workflowId.slice(d.kind.length + 1));
  const [row] = await h.database.sql<[{ n: string }]>`select count(*) as n from ${h.database.sql(table)} where ${h.database.sql(column)} = any(${ids})`;
  return Number(row.n);
}

export const databaseCost: Figure = {
  id: '7-database-cost',
  title: 'Database cost: statements per process instance and activity time share',
  async run(env, size) {
    const instances = INSTANCES[size];
    const client = { statements: 0, begins: 0 };
    const h = await benchHarness(env, {
      worker: true, ownDatabase: true,
      onQuery: (query) => {
        client.statements++;
        if (isBegin(query)) client.begins++;
      },
    });
    let server: ServerCounter = null;
    try {
      server = await serverStatementCounter(h.databaseUrl);
      const measure = meter(client, server);
      const drive = lifecycles(h);
      const call = apiCaller(h);
      const { customerId, sku } = await drive.masterData();
      const kinds: Array<[Lifecycle['kind'], string, () => Promise<Lifecycle>]> = [
        ['ticket', 'intake → escalate → claim → resolve → confirm', () => drive.ticket(customerId)],
        ['order', 'prepaid: pay → ship → deliver → invoice → complete', () => drive.order(customerId, sku)],
        ['contract', 'draft → approve → sign → terminate', () => drive.contract(customerId, 0, 30 * 86_400_000)],
      ];
      // One of each first, so the counts below hold no first-time work (prepared statements, caches).
      for (const [, , run] of kinds) await run();

      const baseline = await measure(() => runLoad(instances, 1, () => call('agent', 'GET', `/customers/${customerId}`)));
      const perRead = (baseline.server ?? baseline.client).statements / instances;
      const rows = [];
      let profile: StatementCounts = new Map();
      for (const [kind, steps, run] of kinds) {
        const driven: Lifecycle[] = [];
        const measured = await measure(() => runLoad(instances, CONCURRENCY, async () => driven.push(await run())));
        if (measured.result.errors) throw new Error(`${measured.result.errors} ${kind} lifecycles failed`);
        const runs = (await Promise.all(driven.map((d) => workflowRuns(h.client, d.workflowId)))).flat();
        const activityMs = runs.reduce((sum, r) => sum + r.activityMs, 0);
        const wallMs = runs.reduce((sum, r) => sum + r.wallMs, 0);
        const counted = measured.server ?? measured.client;
        const perInstance = counted.statements / instances;
        for (const [query, counts] of measured.statements ?? []) {
          const seen = profile.get(query) ?? { calls: 0, ms: 0 };
          profile.set(query, { calls: seen.calls + counts.calls, ms: seen.ms + counts.ms });
        }
        rows.push({
          kind, steps, instances,
          statementsPerInstance: round(perInstance, 1),
          clientStatementsPerInstance: round(measured.client.statements / instances, 1),
          transactionsPerInstance: round(counted.transactions / instances, 1),
          transitionsPerInstance: round((await transitions(h, driven)) / instances, 1),
          readsWorth: round(perInstance / perRead, 1),
          activityTimeShare: round(activityMs / wallMs, 3),
          activityMsPerInstance: round(activityMs / instances, 1),
          wallMsPerInstance: round(wallMs / instances, 1),
          instancesPerSecond: measured.result.perSecond,
        });
      }
      profile = new Map([...profile].sort((a, b) => b[1].calls - a[1].calls).slice(0, 8));
      const source = server ? 'pg_stat_statements (server side, this figure\'s own database)' : 'a counting hook on the app\'s and worker\'s connection (pg_stat_statements not preloaded)';
      const markdown = [
        `${instances} instances of each process driven over the API (concurrency ${CONCURRENCY}) by an app and an in-process worker on a database of`,
        `their own, after one warm-up instance each. Statements counted by ${source}; the client-side count (every statement the`,
        `app and worker sent, BEGIN/COMMIT included) beside it. Transactions: explicit ones (BEGIN). Transitions: the process's`,
        `event rows. Baseline: one authenticated read (GET /customers/:id) costs ${round(perRead, 1)} statements, counted the same way; "reads' worth" is the`,
        `ratio. Activity time share: time between ActivityTaskStarted and its completion, over each run's first-to-last event time, from the histories.`,
        '',
        '| process | statements / instance | client-side | transactions | transitions | statements / transition | reads\' worth | activity time share |',
        '|---|---:|---:|---:|---:|---:|---:|---:|',
        ...rows.map((r) => `| ${r.kind} (${r.steps}) | ${r.statementsPerInstance} | ${r.clientStatementsPerInstance} | ${r.transactionsPerInstance} | ${r.transitionsPerInstance} | ${round(r.statementsPerInstance / r.transitionsPerInstance, 1)} | ${r.readsWorth} | ${round(r.activityTimeShare * 100, 1)} % |`),
        ...(profile.size ? [
          '',
          'Most frequent statements over the three processes:',
          '',
          '| calls | total ms | statement |',
          '|---:|---:|---|',
          ...[...profile].map(([query, c]) => `| ${c.calls} | ${round(c.ms, 1)} | \`${query.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 110)}\` |`),
        ] : []),
      ].join('\n');
      return {
        data: {
          source: server ? 'pg_stat_statements' : 'client counting hook', instances, concurrency: CONCURRENCY,
          baseline: { request: 'GET /customers/:id', statementsPerRequest: round(perRead, 2), clientStatementsPerRequest: round(baseline.client.statements / instances, 2) },
          processes: rows,
          topStatements: [...profile].map(([query, c]) => ({ query, calls: c.calls, ms: round(c.ms, 1) })),
        },
        markdown,
      };
    } finally {
      await server?.close();
      await h.close();
    }
  },
};
