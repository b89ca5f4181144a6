import { recordContract } from '../../db/contracts';
import { recordOrder } from '../../db/orders';
import { recordTicket } from '../../db/tickets';
import { DEFAULT_APPROVAL_THRESHOLDS } from '../../domain/approvals';
import { REAL_DAY_MS } from '../../domain/dates';
import { orderTermsFrom } from '../../domain/orders';
import type { ContractInput } from '../../domain/processes/contract';
import {
  activateContract, approveStep, contractRecord, draftContract, openContract, signContract, submitContract, type ContractProcess,
} from '../../domain/processes/contract-state';
import type { OrderInput, OrderLineRecord } from '../../domain/processes/order';
import { enter, openActivationTask, orderRecord, priced, receiveOrder, shipped, withTerms, type OrderProcess } from '../../domain/processes/order-state';
import type { TicketInput, TicketPolicy } from '../../domain/processes/ticket';
import { claim, escalate, newTicket, openTicket, reject, resolve, ticketRecord, withPolicy, type TicketProcess } from '../../domain/processes/ticket-state';
import type { Actor, Role } from '../../domain/roles';
import { defaultSettings } from '../../domain/settings';
import type { BenchEnvironment } from '../lib/environment';
import { explainSent, type PlanSummary } from '../lib/explain';
import type { Figure, FigureResult, Size } from '../lib/figure';
import { apiCaller, capturingHarness, type BenchHarness, type CapturingHarness } from '../lib/harness';
import { alternate, round, runLoad } from '../lib/stats';

// GET /tasks with 100 000 open processes next to the same requests with 1 000 (the baseline, same run,
// same server). The processes are written through the repositories that record transitions in production
// (recordTicket, recordOrder, recordContract), so the task rows are the ones their records imply.
const SIZES: Record<Size, { processes: number; baselineProcesses: number; requests: number }> = {
  smoke: { processes: 400, baselineProcesses: 40, requests: 5 },
  full: { processes: 100_000, baselineProcesses: 1_000, requests: 200 },
};

interface ListRequest {
  name: string;
  role: Role;
  url: string;
}

const REQUESTS: ListRequest[] = [
  { name: 'agent: L1 queue', role: 'agent', url: '/tasks' },
  { name: 'support_l2: queue + own tickets', role: 'support_l2', url: '/tasks' },
  { name: 'support_l2: own tickets only', role: 'support_l2', url: '/tasks?kind=ticket.assigned' },
  { name: 'support_l3', role: 'support_l3', url: '/tasks' },
  { name: 'supervisor: attention', role: 'supervisor', url: '/tasks' },
  { name: 'finance: holds + approvals', role: 'finance', url: '/tasks' },
  { name: 'fulfilment', role: 'fulfilment', url: '/tasks' },
  { name: 'fulfilment: activation reports', role: 'fulfilment', url: '/tasks?kind=order.activation_report' },
  { name: 'sales_manager: approvals', role: 'sales_manager', url: '/tasks' },
  { name: 'contract_admin: sign + renew', role: 'contract_admin', url: '/tasks' },
  { name: 'agent: due within 30 min', role: 'agent', url: '/tasks?dueBefore=NOW+30m' },
];

// ---- the synthetic processes: twenty shapes in turn --------------------------------------------------
// Tickets 12 in 20 (L1 new; L2 queued and claimed; L3 queued, claimed, and reopened for the supervisor),
// orders 5 in 20 (a credit hold, two to ship, one to deliver, an activation report), contracts 3 in 20
// (an approval step, a signature, a renewal whose notice period has begun for half of them and lies ahead
// for the others). Claimed tickets belong to 200 supporters per tier; the harness's own L2 and L3 users
// are one of them. Each process was last recorded a second after the one before, up to now.

const MIN = 60_000;
const BENCH: Actor = { id: 'bench', name: 'Bench', roles: [] };
const customerId = (i: number, customers: number) => `BCU-${String(1 + (i * 7919) % customers).padStart(7, '0')}`;

function supporter(h: BenchHarness, role: 'support_l2' | 'support_l3', i: number): string {
  const n = Math.floor(i / 20) % 200;
  return n === 7 ? h.users[role].id : `BU-${role.slice(-2)}-${n}`;
}

function ticketAt(h: BenchHarness, shape: number, i: number, at: number): TicketProcess {
  const policy: TicketPolicy = {
    customerTier: 'standard', calendarName: null, calendar: null, confirmationWindowMs: 72 * 60 * MIN,
    sla: { responseMs: [15, 60, 240, 480][i % 4]! * MIN, resolutionMs: [4, 8, 24, 72][i % 4]! * 60 * MIN, reminderAt: 0.8, source: 'policy' },
  };
  const opened = openTicket(withPolicy(newTicket(at - 5 * MIN), policy));
  const atL2 = escalate(opened, 'check the line', at - 4 * MIN);
  const atL3 = escalate(claim(atL2, supporter(h, 'support_l2', i)), 'network team', at - 3 * MIN);
  if (shape < 3) return opened;
  if (shape < 6) return atL2;
  if (shape < 9) return claim(atL2, supporter(h, 'support_l2', i));
  if (shape === 9) return atL3;
  const workedAtL3 = claim(atL3, supporter(h, 'support_l3', i));
  return shape === 10 ? workedAtL3 : reject(resolve(workedAtL3, 'port replaced', at - 2 * MIN), at);
}

const ORDER_TERMS = orderTermsFrom(defaultSettings());
const GOODS = { sku: 'BENCH-GOODS', qty: 2, rule: 'list', promotionId: null, unitPriceCents: 1000, lineTotalCents: 2000, kind: 'goods' } as OrderLineRecord;
const SERVICE = { sku: 'BENCH-SERVICE', qty: 1, rule: 'list', promotionId: null, unitPriceCents: 4900, lineTotalCents: 4900, kind: 'service' } as OrderLineRecord;

function orderAt(shape: number, at: number): OrderProcess {
  const pricedWith = (line: OrderLineRecord) => priced(withTerms(receiveOrder(at - MIN), ORDER_TERMS), [line], line.lineTotalCents);
  if (shape === 12) return enter(pricedWith(GOODS), 'credit_hold');
  if (shape < 15) return enter(pricedWith(GOODS), 'fulfilling');
  if (shape === 15) return shipped(enter(pricedWith(GOODS), 'fulfilling'), { carrier: 'DHL', trackingNo: `TRK-${at}` });
  return openActivationTask(enter(pricedWith(SERVICE), 'provisioning'));
}

const CONTRACT_POLICY = { thresholds: DEFAULT_APPROVAL_THRESHOLDS, invoiceDueDays: 30 };
const APPROVERS: Actor[] = (['sales_manager', 'finance', 'legal'] as const).map((role) => ({ id: `BU-${role}`, name: role, roles: [role] }));

function contractAt(input: ContractInput, shape: number, i: number, at: number): ContractProcess {
  const submitted = submitContract(openContract(draftContract(input.terms, at - MIN), CONTRACT_POLICY, BENCH, at - MIN).contract, BENCH);
  // 600 000.00 goes to sales_manager → finance → legal; the step reached varies with i.
  let approving = submitted;
  for (let step = 0; step < (shape === 17 ? i % 3 : 3); step++) approving = approveStep(approving, APPROVERS[step]!, null, at).contract;
  if (shape !== 19) return approving;
  return activateContract(signContract(approving, at), at);
}

async function loadProcesses(h: BenchHarness, processes: number): Promise<number> {
  const started = performance.now();
  const customers = Math.max(10, Math.ceil(processes / 50));
  await h.database.sql`
    insert into customers (id, name, kind, tier, credit_limit, created_by)
    select 'BCU-' || lpad(c::text, 7, '0'), 'Bench customer ' || c, 'enterprise', 'standard', 1000, 'bench' from generate_series(1, ${customers}::int) c`;
  const db = h.database.db;
  const now = Date.now();
  const write = async (i: number) => {
    const shape = i % 20;
    const at = now - (processes - i) * 1_000;
    const id = `B-${String(i).padStart(7, '0')}`;
    const customer = customerId(i, customers);
    if (shape < 12) {
      const input: TicketInput = { number: `T${id}`, customerId: customer, channel: 'phone', category: 'fault', priority: 'normal', subject: 'Synthetic ticket', description: 'Generated for the task-list benchmark', actor: BENCH };
      const ticket = ticketAt(h, shape, i, at);
      const event = { seq: 1, action: 'load', actorId: 'bench', fromStatus: null, toStatus: ticket.status, fromTier: null, toTier: ticket.tier, note: null, internal: false, at };
      return recordTicket(db, { ticket: ticketRecord(ticket, input, `ticket-T${id}`), event }, { email: false }, null);
    }
    if (shape < 17) {
      const input: OrderInput = { number: `SO${id}`, customerId: customer, lines: [], paymentTerms: 'credit', actor: BENCH };
      const order = orderAt(shape, at);
      return recordOrder(db, { order: orderRecord(order, input, `order-SO${id}`), event: { seq: 1, action: 'load', actorId: 'bench', fromStatus: null, toStatus: order.status, note: null, at } });
    }
    const validTo = now + (Math.floor(i / 20) % 2 === 0 ? 10 : 400) * REAL_DAY_MS;
    const input: ContractInput = {
      number: `C${id}`, customerId: customer, type: 'value', actor: BENCH, dayMs: REAL_DAY_MS,
      terms: { validFrom: now - 30 * REAL_DAY_MS, validTo, targetValueCents: 60_000_000, targetQuantities: null, prices: [], paymentTerms: null, billing: null, autoRenew: false, renewalMonths: 12, noticeDays: 30, terms: null },
      particulars: { externalRef: null, poDate: null, salesOrg: null, channel: null, division: null, sla: null },
    };
    const contract = contractAt(input, shape, i, at);
    return recordContract(db, { contract: contractRecord(contract, input, `contract-C${id}`), event: { seq: 1, action: 'load', actorId: 'bench', fromStatus: null, toStatus: contract.status, note: null, at } }, { email: false });
  };
  const load = await runLoad(processes, 8, write);
  if (load.errors > 0) throw new Error(`${load.errors} of ${processes} processes could not be recorded`);
  // Settles the visibility map and statistics now, so no autovacuum of the fresh rows runs during the timing.
  for (const table of ['customers', 'tickets', 'orders', 'contracts', 'process_tasks']) await h.database.sql.unsafe(`vacuum analyze ${table}`);
  return round((performance.now() - started) / 1000, 1);
}

interface Table {
  processes: number;
  tasks: number;
  loadSeconds: number;
  h: CapturingHarness;
}

async function openTable(env: BenchEnvironment, processes: number): Promise<Table> {
  const h = await capturingHarness(env);
  try {
    const loadSeconds = await loadProcesses(h, processes);
    const [{ count }] = await h.database.sql<[{ count: number }]>`select count(*)::int as count from process_tasks`;
    return { processes, tasks: count, loadSeconds, h };
  } catch (error) {
    await h.close();
    throw error;
  }
}

/** `NOW+30m` in a URL is the instant half an hour from the moment of the request. */
const concrete = (url: string) => url.replace('NOW+30m', encodeURIComponent(new Date(Date.now() + 30 * MIN).toISOString()));

/** EXPLAIN (ANALYZE, BUFFERS) of the statement the route actually sent, and how many tasks it listed. */
async function planOf(table: Table, request: ListRequest): Promise<PlanSummary & { items: number }> {
  const { plan, answer } = await explainSent(table.h, 'process_tasks', () => apiCaller(table.h)(request.role, 'GET', concrete(request.url)));
  return { ...plan, items: (answer as { items: unknown[] }).items.length };
}

/** One request on both tables: warmed up, then timed in alternation through the API, then explained. */
async function measure(tables: Table[], request: ListRequest, requests: number) {
  const calls = tables.map((table) => {
    const call = apiCaller(table.h);
    return () => call(request.role, 'GET', concrete(request.url));
  });
  for (let i = 0; i < 5; i++) for (const run of calls) await run();
  const latencies = await alternate(requests, calls);
  const plans = await Promise.all(tables.map((table) => planOf(table, request)));
  return tables.map((table, i) => ({ processes: table.processes, latency: latencies[i]!, plan: plans[i]! }));
}

export const taskList: Figure = {
  id: '9-task-list',
  title: 'Task list: GET /tasks at 100 000 open processes',
  async run(env, size) {
    const { processes, baselineProcesses, requests } = SIZES[size];
    const tables: Table[] = [];
    try {
      tables.push(await openTable(env, baselineProcesses), await openTable(env, processes));
      const lists = [];
      for (const request of REQUESTS) {
        const [small, big] = await measure(tables, request, requests);
        lists.push({ name: request.name, url: request.url, baseline: small!, large: big!, p50Ratio: round(big!.latency.p50 / small!.latency.p50) });
      }
      return report({ processes, baselineProcesses, requests, tables: tables.map(({ processes: p, tasks, loadSeconds }) => ({ processes: p, tasks, loadSeconds })), lists });
    } finally {
      for (const table of tables) await table.h.close();
    }
  },
};

type Measured = Awaited<ReturnType<typeof measure>>[number];
interface List {
  name: string;
  url: string;
  baseline: Measured;
  large: Measured;
  p50Ratio: number;
}

function report(data: { processes: number; baselineProcesses: number; requests: number; tables: Array<{ processes: number; tasks: number; loadSeconds: number }>; lists: List[] }): FigureResult {
  const { processes, baselineProcesses, requests, tables, lists } = data;
  const fmt = (n: number) => n.toLocaleString('en');
  const large = tables[1]!;
  const worstP99 = Math.max(...lists.map((l) => l.large.latency.p99));
  const markdown = [
    `Each request ${requests}× through the API (in process, authenticated, concurrency 1, first page of 50) with ${fmt(processes)} open processes`,
    `(${fmt(large.tasks)} task rows), next to the same request with ${fmt(baselineProcesses)} (baseline, same run, requests alternating between the two).`,
    `The processes were written through recordTicket, recordOrder and recordContract (${fmt(processes)} in ${large.loadSeconds} s, 8 at a time).`,
    `Ratio = p50 large / p50 baseline. Plan: EXPLAIN (ANALYZE, BUFFERS) of the statement the route sent, on the large table.`,
    `Worst p99 at ${fmt(processes)}: **${worstP99} ms** (target < 50 ms).`,
    '',
    `| list | p50 ms | p99 ms | baseline p50 ms | baseline p99 ms | ratio | tasks on the page | plan on ${fmt(processes)} processes | SQL ms | buffers |`,
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---:|',
    ...lists.map((l) => `| ${l.name} | ${l.large.latency.p50} | ${l.large.latency.p99} | ${l.baseline.latency.p50} | ${l.baseline.latency.p99} | ${l.p50Ratio} | ${l.large.plan.items} | ${l.large.plan.access} | ${l.large.plan.executionMs} | ${l.large.plan.buffers} |`),
  ].join('\n');
  return {
    data: { processes, baselineProcesses, requestsPerList: requests, tables, worstP99, lists },
    markdown,
    plots: [{
      file: 'task-list-p99.svg', title: 'GET /tasks p99 against open processes', xLabel: 'open processes', yLabel: 'p99 ms', logX: true,
      series: lists.map((l) => ({ name: l.name, points: [[baselineProcesses, l.baseline.latency.p99], [processes, l.large.latency.p99]] })),
    }],
  };
}
