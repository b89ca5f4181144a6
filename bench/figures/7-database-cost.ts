import type { Figure, FigureResult, Size } from '../lib/figure';
import { apiCaller, benchHarness, type BenchHarness } from '../lib/harness';
import { workflowRuns } from '../lib/history';
import { lifecycles, type Lifecycle } from '../lib/lifecycles';
import { round, runLoad } from '../lib/stats';
import { difference, isBegin, isTransactionControl, serverStatementCounter, workStatements, type StatementCounts } from '../lib/statements';

// What a complete process costs the database, against what one authenticated read request costs it
// (the baseline, same run, counted the same way).
const INSTANCES: Record<Size, number> = { smoke: 1, full: 20 };
const CONCURRENCY = 4;

type ServerCounter = Awaited<ReturnType<typeof serverStatementCounter>>;

/** What the app's and worker's connection sent: everything, the transaction control among it, and its BEGINs. */
interface ClientCount {
  sent: number;
  control: number;
  begins: number;
}

/** Counts the statements `work` causes: on the server where it can, always on the client. */
function meter(client: ClientCount, server: ServerCounter) {
  return async <T>(work: () => Promise<T>) => {
    const before = { server: await server?.snapshot(), client: { ...client } };
    const result = await work();
    const after = await server?.snapshot();
    const statements = before.server && after ? difference(after, before.server) : null;
    const sent = client.sent - before.client.sent;
    const clientStatements = sent - (client.control - before.client.control);
    return {
      result,
      statements,
      /** Statements that do work (transaction control left out), from the server where it counts them, else from the client. */
      work: statements ? workStatements(statements) : clientStatements,
      client: { sent, statements: clientStatements, transactions: client.begins - before.client.begins },
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

type Meter = ReturnType<typeof meter>;

const PROCESSES: Array<{ kind: Lifecycle['kind']; steps: string; run(drive: ReturnType<typeof lifecycles>, data: { customerId: string; sku: string }): Promise<Lifecycle> }> = [
  { kind: 'ticket', steps: 'intake → escalate → claim → resolve → confirm', run: (drive, { customerId }) => drive.ticket(customerId) },
  { kind: 'order', steps: 'prepaid: pay → ship → deliver → invoice → complete', run: (drive, { customerId, sku }) => drive.prepaidOrder(customerId, sku) },
  // A month-long term at the real day length: nothing renews while it is measured.
  { kind: 'contract', steps: 'draft → approve → sign → terminate', run: (drive, { customerId }) => drive.contract(customerId, 0, 30 * 86_400_000) },
];

/** `instances` of one process: what they cost the database, and how much of their time activities took. */
async function costOf(h: BenchHarness, measure: Meter, instances: number, perRead: number, spec: (typeof PROCESSES)[number], run: () => Promise<Lifecycle>) {
  const driven: Lifecycle[] = [];
  const measured = await measure(() => runLoad(instances, CONCURRENCY, async () => driven.push(await run())));
  if (measured.result.errors) throw new Error(`${measured.result.errors} ${spec.kind} lifecycles failed`);
  const runs = (await Promise.all(driven.map((d) => workflowRuns(h.client, d.workflowId)))).flat();
  const activityMs = runs.reduce((sum, r) => sum + r.activityMs, 0);
  const wallMs = runs.reduce((sum, r) => sum + r.wallMs, 0);
  const perInstance = measured.work / instances;
  const transitionsPerInstance = (await transitions(h, driven)) / instances;
  return {
    statements: measured.statements,
    row: {
      kind: spec.kind, steps: spec.steps, instances,
      statementsPerInstance: round(perInstance, 1),
      clientStatementsPerInstance: round(measured.client.statements / instances, 1),
      sentPerInstance: round(measured.client.sent / instances, 1),
      transactionsPerInstance: round(measured.client.transactions / instances, 1),
      transitionsPerInstance: round(transitionsPerInstance, 1),
      statementsPerTransition: round(perInstance / transitionsPerInstance, 1),
      readsWorth: round(perInstance / perRead, 1),
      activityTimeShare: round(activityMs / wallMs, 3),
      activityMsPerInstance: round(activityMs / instances, 1),
      wallMsPerInstance: round(wallMs / instances, 1),
      instancesPerSecond: measured.result.perSecond,
    },
  };
}

type Row = Awaited<ReturnType<typeof costOf>>['row'];

/** The statements called most often over all processes, transaction control left out. */
function mostFrequent(all: Array<StatementCounts | null>, top: number) {
  const merged: StatementCounts = new Map();
  for (const counts of all) {
    for (const [query, c] of counts ?? []) {
      const seen = merged.get(query) ?? { calls: 0, ms: 0 };
      merged.set(query, { calls: seen.calls + c.calls, ms: seen.ms + c.ms });
    }
  }
  return [...merged].filter(([query]) => !isTransactionControl(query)).sort((a, b) => b[1].calls - a[1].calls).slice(0, top)
    .map(([query, c]) => ({ query, calls: c.calls, ms: round(c.ms, 1) }));
}

function report(m: { onServer: boolean; instances: number; perRead: number; rows: Row[]; top: ReturnType<typeof mostFrequent> }): FigureResult {
  const source = m.onServer ? 'pg_stat_statements (server side, this figure\'s own database)' : 'a counting hook on the app\'s and worker\'s connection (pg_stat_statements is not preloaded)';
  const markdown = [
    `${m.instances} instances of each process driven over the API (concurrency ${CONCURRENCY}) by an app and an in-process worker on a database of`,
    `their own, after one warm-up instance each. Statements counted by ${source}, leaving out transaction control`,
    `(pg_stat_statements does not see every COMMIT); the same count on the client beside it, then everything sent including BEGIN and`,
    `COMMIT. Transactions: BEGINs sent. Transitions: the process's event rows. Baseline: one authenticated read (GET /customers/:id) costs`,
    `${round(m.perRead, 1)} statements, counted the same way; "reads' worth" is the ratio. Activity time share: time between ActivityTaskStarted and`,
    `its completion, over each run's first-to-last event time, from the histories.`,
    '',
    '| process | statements / instance | client-side | sent | transactions | transitions | statements / transition | reads\' worth | activity time share |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...m.rows.map((r) => `| ${r.kind} (${r.steps}) | ${r.statementsPerInstance} | ${r.clientStatementsPerInstance} | ${r.sentPerInstance} | ${r.transactionsPerInstance} | ${r.transitionsPerInstance} | ${r.statementsPerTransition} | ${r.readsWorth} | ${round(r.activityTimeShare * 100, 1)} % |`),
    ...(m.top.length ? [
      '', 'Most frequent statements over the three processes:', '', '| calls | total ms | statement |', '|---:|---:|---|',
      ...m.top.map((t) => `| ${t.calls} | ${t.ms} | \`${t.query.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 110)}\` |`),
    ] : []),
  ].join('\n');
  return {
    data: {
      source: m.onServer ? 'pg_stat_statements' : 'client counting hook', instances: m.instances, concurrency: CONCURRENCY,
      baseline: { request: 'GET /customers/:id', statementsPerRequest: round(m.perRead, 2) },
      processes: m.rows, topStatements: m.top,
    },
    markdown,
  };
}

export const databaseCost: Figure = {
  id: '7-database-cost',
  title: 'Database cost: statements per process instance and activity time share',
  async run(env, size) {
    const instances = INSTANCES[size];
    const client: ClientCount = { sent: 0, control: 0, begins: 0 };
    const h = await benchHarness(env, {
      worker: true, ownDatabase: true,
      onQuery: (query) => {
        client.sent++;
        if (isTransactionControl(query)) client.control++;
        if (isBegin(query)) client.begins++;
      },
    });
    let server: ServerCounter = null;
    try {
      server = await serverStatementCounter(h.databaseUrl);
      const measure = meter(client, server);
      const drive = lifecycles(apiCaller(h), h.client);
      const data = await drive.masterData();
      // One of each first, so the counts below hold no first-time work (prepared statements, caches).
      for (const spec of PROCESSES) await spec.run(drive, data);
      const call = apiCaller(h);
      const baseline = await measure(() => runLoad(instances, 1, () => call('agent', 'GET', `/customers/${data.customerId}`)));
      const perRead = baseline.work / instances;
      const costs = [];
      for (const spec of PROCESSES) costs.push(await costOf(h, measure, instances, perRead, spec, () => spec.run(drive, data)));
      return report({ onServer: server !== null, instances, perRead, rows: costs.map((c) => c.row), top: mostFrequent(costs.map((c) => c.statements), 8) });
    } finally {
      await server?.close();
      await h.close();
    }
  },
};
