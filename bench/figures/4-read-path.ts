import { encodeCursor } from '../../api/pagination';
import type { Role } from '../../domain/roles';
import type { Figure, FigureResult, Size } from '../lib/figure';
import { apiCaller, capturingHarness, type BenchHarness, type CapturingHarness } from '../lib/harness';
import { explainSent, type PlanSummary } from '../lib/explain';
import { alternate, round } from '../lib/stats';
import type { BenchEnvironment } from '../lib/environment';

// GET /tickets over a large table, next to the same requests over a small one (the baseline, same run,
// same server): with an index behind every filter the latency barely moves with the table's size.
const SIZES: Record<Size, { rows: number; baselineRows: number; requests: number }> = {
  smoke: { rows: 5_000, baselineRows: 500, requests: 10 },
  full: { rows: 1_000_000, baselineRows: 10_000, requests: 200 },
};

interface ListRequest {
  name: string;
  role: Role;
  url: string;
}

/** The filters people use, with values picked from the loaded data (see `loadTickets`). */
function listRequests(rows: number): ListRequest[] {
  const deep = rows - Math.min(2_000, rows / 2);
  const deepCursor = encodeCursor([new Date(createdAt(rows, deep)).toISOString(), ticketId(deep)]);
  return [
    { name: 'newest first', role: 'manager', url: '/tickets' },
    { name: 'status + tier', role: 'manager', url: '/tickets?status=escalated_l2&tier=L2' },
    { name: 'assignee', role: 'manager', url: `/tickets?assignee=${assigneeId(7)}` },
    { name: 'assignee who left', role: 'manager', url: `/tickets?assignee=${FORMER_ASSIGNEE}` },
    { name: 'customer', role: 'agent', url: `/tickets?customerId=${customerId(42)}` },
    { name: 'breached', role: 'supervisor', url: '/tickets?breached=true' },
    { name: 'closed + urgent', role: 'manager', url: '/tickets?status=closed&priority=urgent' },
    { name: 'deep page (cursor)', role: 'manager', url: `/tickets?cursor=${deepCursor}` },
    { name: 'L2 queue', role: 'support_l2', url: '/tickets/queue?tier=L2' },
    // Full text (tickets_search_idx): a word of 1 in 10 subjects, and one of 1 in 10 000 notes.
    { name: 'full text, common word (q=)', role: 'agent', url: `/tickets?q=${COMMON_WORD}` },
    { name: 'full text, rare word in a note (q=)', role: 'agent', url: `/tickets?q=${RARE_WORD}` },
  ];
}

// The synthetic table: ids follow creation time, a ticket a minute; a working set of open tickets (the
// newest); 50 tickets per customer; 200 agents share the history, and one who left worked 1 in 1 000 of
// the older half; 1 in 25 breached.
const ASSIGNEES = 200;
const FORMER_ASSIGNEE = 'BU-LEFT';
const ticketId = (i: number) => `B-${String(i).padStart(8, '0')}`;
const customerId = (c: number) => `BCU-${String(c).padStart(7, '0')}`;
const assigneeId = (a: number) => `BU-${String(a).padStart(4, '0')}`;
const EPOCH = Date.parse('2026-01-01T00:00:00Z');
// Subjects cycle through ten topics; 1 in 10 000 tickets carries a note with a rare word.
const TOPICS = ['router', 'invoice', 'roaming', 'outage', 'modem', 'tariff', 'porting', 'contract', 'voicemail', 'signal'];
const COMMON_WORD = TOPICS[3]!;
const RARE_WORD = 'sparkwave';
const createdAt = (rows: number, i: number) => EPOCH - (rows - i) * 60_000;

async function loadTickets(h: BenchHarness, rows: number): Promise<number> {
  const started = performance.now();
  const customers = Math.max(10, Math.ceil(rows / 50));
  const open = Math.min(5_000, Math.floor(rows / 10));
  const { sql } = h.database;
  await sql`
    insert into customers (id, name, kind, tier, credit_limit, created_by)
    select 'BCU-' || lpad(c::text, 7, '0'), 'Bench customer ' || c, 'enterprise', (array['standard', 'standard', 'standard', 'key', 'vip'])[1 + c % 5], 1000, 'bench'
    from generate_series(1, ${customers}::int) c`;
  // Open tickets cycle through the open states; history is closed, 1 in 20 cancelled.
  await sql`
    insert into tickets (id, workflow_id, customer_id, customer_tier, channel, category, priority, subject, description, status, tier,
      assignee_id, breached, queue_due_at, sla, created_by, created_at, updated_at, resolved_at, closed_at, last_seq, search)
    select 'B-' || lpad(i::text, 8, '0'), 'ticket-B-' || lpad(i::text, 8, '0'), 'BCU-' || lpad((1 + (i::bigint * 7919) % ${customers}::int)::text, 7, '0'),
      (array['standard', 'standard', 'standard', 'key', 'vip'])[1 + ((1 + (i::bigint * 7919) % ${customers}::int) % 5)],
      (array['phone', 'email', 'web', 'walk_in', 'social'])[1 + i % 5], (array['usage', 'fault', 'billing', 'service_quality', 'consultation', 'other'])[1 + (i / 5) % 6],
      (array['low', 'low', 'low', 'normal', 'normal', 'normal', 'high', 'high', 'urgent', 'low'])[1 + (i * 31) % 10],
      initcap((${TOPICS}::text[])[1 + i % 10]) || ' problem ' || i, 'Generated for the read-path benchmark', s.status, s.tier,
      case when s.status in ('new', 'escalated_l2', 'escalated_l3') then null when i % 1000 = 7 and i < ${rows / 2}::int then ${FORMER_ASSIGNEE}
           else 'BU-' || lpad(((i * 13) % ${ASSIGNEES})::text, 4, '0') end,
      i % 25 = 0, case when s.open then to_timestamp(${EPOCH / 1000}::float8 + (i % 977) * 60) end, '{}'::jsonb, 'bench',
      s.created, s.created, case when not s.open then s.created + interval '1 hour' end, case when not s.open then s.created + interval '2 hours' end, 5,
      -- The document db/search.ts writes: subject A, description B, notes C.
      setweight(to_tsvector('english', initcap((${TOPICS}::text[])[1 + i % 10]) || ' problem ' || i), 'A')
        || setweight(to_tsvector('english', 'Generated for the read-path benchmark'), 'B')
        || case when i % 10000 = 3 then setweight(to_tsvector('english', 'customer reports ' || ${RARE_WORD}::text || ' interference'), 'C') else ''::tsvector end
    from generate_series(1, ${rows}::int) i
    cross join lateral (
      select i > ${rows - open}::int as open, to_timestamp(${EPOCH / 1000}::float8 - (${rows}::int - i) * 60.0) as created,
        case when i > ${rows - open}::int then (array['new', 'escalated_l2', 'in_progress_l2', 'escalated_l3', 'in_progress_l3', 'pending_customer', 'resolved'])[1 + i % 7]
             when i % 20 = 0 then 'cancelled' else 'closed' end as status,
        case when i > ${rows - open}::int then (array['L1', 'L2', 'L2', 'L3', 'L3', 'L2', 'L2'])[1 + i % 7]
             else (array['L1', 'L1', 'L1', 'L2', 'L2', 'L3'])[1 + i % 6] end as tier
    ) s`;
  // Settles the visibility map and statistics now, so no autovacuum of the fresh rows runs during the timing.
  await sql`vacuum analyze customers`;
  await sql`vacuum analyze tickets`;
  return round((performance.now() - started) / 1000, 1);
}

interface Table {
  rows: number;
  loadSeconds: number;
  h: CapturingHarness;
}

async function openTable(env: BenchEnvironment, rows: number): Promise<Table> {
  const h = await capturingHarness(env);
  try {
    return { rows, loadSeconds: await loadTickets(h, rows), h };
  } catch (error) {
    await h.close();
    throw error;
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statement the route actually sent, captured from the app's connection. */
async function planOf(table: Table, request: ListRequest): Promise<PlanSummary> {
  return (await explainSent(table.h, 'tickets', () => apiCaller(table.h)(request.role, 'GET', request.url))).plan;
}

/** One filter on both tables: warmed up, then timed in alternation through the API, then explained. */
async function measure(tables: Table[], name: string, requests: number) {
  const calls = tables.map((table) => {
    const request = listRequests(table.rows).find((r) => r.name === name)!;
    const call = apiCaller(table.h);
    return { request, run: () => call(request.role, 'GET', request.url) };
  });
  for (let i = 0; i < 5; i++) for (const { run } of calls) await run();
  const latencies = await alternate(requests, calls.map((c) => c.run));
  const plans = await Promise.all(tables.map((table, i) => planOf(table, calls[i]!.request)));
  return tables.map((table, i) => ({ rows: table.rows, url: calls[i]!.request.url, latency: latencies[i]!, plan: plans[i]! }));
}

export const readPath: Figure = {
  id: '4-read-path',
  title: 'Read path: GET /tickets with filters over a large table',
  async run(env, size) {
    const { rows, baselineRows, requests } = SIZES[size];
    const tables: Table[] = [];
    try {
      tables.push(await openTable(env, baselineRows), await openTable(env, rows));
      const filters = [];
      for (const { name } of listRequests(rows)) {
        const [small, big] = await measure(tables, name, requests);
        filters.push({ name, baseline: small!, large: big!, p50Ratio: round(big!.latency.p50 / small!.latency.p50) });
      }
      return report({ rows, baselineRows, requests, loadSeconds: tables[1]!.loadSeconds, filters });
    } finally {
      for (const table of tables) await table.h.close();
    }
  },
};

type Measured = Awaited<ReturnType<typeof measure>>[number];
interface Filter {
  name: string;
  baseline: Measured;
  large: Measured;
  p50Ratio: number;
}

function report({ rows, baselineRows, requests, loadSeconds, filters }: { rows: number; baselineRows: number; requests: number; loadSeconds: number; filters: Filter[] }): FigureResult {
  const fmt = (n: number) => n.toLocaleString('en');
  const markdown = [
    `Each request ${requests}× through the API (in process, authenticated, concurrency 1) over ${fmt(rows)} ticket rows, next to the same`,
    `request over ${fmt(baselineRows)} rows (baseline, same run, requests alternating between the two). Ratio = p50 large / p50 baseline:`,
    `near 1 means an index keeps the read independent of the table's size. Plan: EXPLAIN (ANALYZE, BUFFERS) of the statement the route`,
    `sent, on the large table. Loading ${fmt(rows)} rows (and VACUUM ANALYZE) took ${loadSeconds} s.`,
    '',
    `| filter | p50 ms | p99 ms | baseline p50 ms | ratio | plan on ${fmt(rows)} rows | SQL ms | buffers |`,
    '|---|---:|---:|---:|---:|---|---:|---:|',
    ...filters.map((f) => `| ${f.name} | ${f.large.latency.p50} | ${f.large.latency.p99} | ${f.baseline.latency.p50} | ${f.p50Ratio} | ${f.large.plan.access} | ${f.large.plan.executionMs} | ${f.large.plan.buffers} |`),
  ].join('\n');
  return {
    data: { rows, baselineRows, requestsPerFilter: requests, loadSeconds, filters },
    markdown,
    plots: [{
      file: 'read-path-p50.svg', title: 'GET /tickets p50 against table size', xLabel: 'ticket rows', yLabel: 'p50 ms', logX: true,
      series: filters.map((f) => ({ name: f.name, points: [[baselineRows, f.baseline.latency.p50], [rows, f.large.latency.p50]] })),
    }],
  };
}
