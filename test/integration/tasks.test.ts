import { isDeepStrictEqual } from 'node:util';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractEvents, orderEvents, ticketEvents } from '../../db/schema';
import { recordTicket } from '../../db/tickets';
import type { TicketInput, TicketPolicy } from '../../domain/processes/ticket';
import { cancel, escalate, newTicket, openTicket, ticketRecord, withPolicy, type TicketProcess } from '../../domain/processes/ticket-state';
import { ROLES, type Role } from '../../domain/roles';
import { contractDriver } from '../helpers/contracts';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { addUsers, startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Every list is compared whole, for every role, after every step: a database of this file's own holds
// only the processes these tests move, and each test finishes its processes, so the next starts from
// empty lists. A task opens when the transition that produced it was recorded (its event's time).
let fresh: FreshDatabase;
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let o: ReturnType<typeof orderDriver>;
let c: ReturnType<typeof contractDriver>;
beforeAll(async () => {
  fresh = await freshDatabase();
  h = await startHarness({ worker: true, env: { DATABASE_URL: fresh.url } });
  ({ t, o, c } = { t: ticketDriver(h), o: orderDriver(h), c: contractDriver(h) });
});
afterAll(async () => {
  await h?.close();
  await fresh?.drop();
});

interface Task {
  kind: string;
  process: { type: string; id: string; summary: string };
  actions: string[];
  dueAt: string | null;
  createdAt: string;
}
type Lists = Record<Role, Task[]>;

async function tasksOf(auth: { authorization: string }, query = ''): Promise<{ items: Task[]; nextCursor: string | null }> {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/tasks${query}`, headers: auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const allLists = async (): Promise<Lists> => Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, (await tasksOf(h.users[role].auth)).items]))) as Lists;

/**
 * Waits until every role's list is exactly what `expected` says (roles it leaves out: empty), then asserts
 * it, so a failure shows the difference. `expected` is recomputed each time: it reads event times that a
 * process may record a moment after the API answered.
 */
async function expectLists(expected: () => Promise<Partial<Lists>>): Promise<void> {
  const want = async () => ({ ...Object.fromEntries(ROLES.map((role) => [role, []])), ...(await expected()) }) as Lists;
  const seen = await eventually(async () => ({ got: await allLists(), want: await want() }), ({ got, want }) => isDeepStrictEqual(got, want), { timeoutMs: 15_000 })
    .catch(async () => ({ got: await allLists(), want: await want() }));
  expect(seen.got).toEqual(seen.want);
}

const EVENTS = {
  ticket: { table: ticketEvents, id: ticketEvents.ticketId, action: ticketEvents.action, seq: ticketEvents.seq, at: ticketEvents.at },
  order: { table: orderEvents, id: orderEvents.orderId, action: orderEvents.action, seq: orderEvents.seq, at: orderEvents.at },
  contract: { table: contractEvents, id: contractEvents.contractId, action: contractEvents.action, seq: contractEvents.seq, at: contractEvents.at },
} as const;

/** When the process last recorded `action` (ISO), or a placeholder no list matches while it has not. */
async function recordedAt(type: keyof typeof EVENTS, id: string, action: string): Promise<string> {
  const e = EVENTS[type];
  const [row] = await h.database.db.select({ at: e.at }).from(e.table).where(and(eq(e.id, id), eq(e.action, action))).orderBy(desc(e.seq)).limit(1);
  return row?.at.toISOString() ?? `${action} not recorded yet`;
}

const ticketProcess = (id: string, priority = 'low') => ({ type: 'ticket', id, summary: `Ticket ${id} · STANDARD · ${priority} · fault` });
const nextDueAt = async (id: string): Promise<string> => (await t.get(id)).nextDueAt;

describe('ticket tasks', () => {
  it('follow a ticket from the L1 queue through L2 and L3 to its assignees and the supervisors, and each role sees only its own', async () => {
    const [otherL2] = await addUsers(h, 'support_l2', 1);
    const ticket = await t.open();
    const process = ticketProcess(ticket.id);
    const queued = async (role: Role, since: string) => ({ [role]: [{ kind: 'ticket.queue', process, actions: role === 'agent' ? ['escalate'] : ['claim'], dueAt: await nextDueAt(ticket.id), createdAt: await recordedAt('ticket', ticket.id, since) }] });
    const assigned = async (role: Role, actions: string[], since: string) => ({ [role]: [{ kind: 'ticket.assigned', process, actions, dueAt: await nextDueAt(ticket.id), createdAt: await recordedAt('ticket', ticket.id, since) }] });

    // A fault cannot be resolved at L1: the agents' task offers escalation only. A note changes nothing, not even the age.
    await expectLists(() => queued('agent', 'open'));
    await t.act('agent', ticket.id, 'notes', { text: 'customer called twice' });
    await expectLists(() => queued('agent', 'open'));

    await t.act('agent', ticket.id, 'escalate', { opinion: 'check the line' });
    await expectLists(() => queued('support_l2', 'escalate'));

    // Claimed: the claimant's alone; the other L2 supporter's list is empty.
    await t.act('support_l2', ticket.id, 'claim');
    await expectLists(() => assigned('support_l2', ['escalate', 'request-info', 'resolve'], 'claim'));
    expect((await tasksOf(otherL2!.auth)).items).toEqual([]);

    await t.act('support_l2', ticket.id, 'release');
    await expectLists(() => queued('support_l2', 'release'));
    await t.act('support_l2', ticket.id, 'claim');
    await t.act('support_l2', ticket.id, 'request-info', { question: 'which socket?' });
    await expectLists(() => assigned('support_l2', ['customer-reply'], 'claim'));
    await t.act('agent', ticket.id, 'customer-reply', { text: 'the kitchen one' });

    await t.act('support_l2', ticket.id, 'escalate', { opinion: 'needs the network team' });
    await expectLists(() => queued('support_l3', 'escalate'));
    await t.act('support_l3', ticket.id, 'claim');
    await expectLists(() => assigned('support_l3', ['request-info', 'resolve'], 'claim'));

    // While the customer decides on the resolution, nobody has a task.
    await t.act('support_l3', ticket.id, 'resolve', { resolution: 'port replaced' });
    await expectLists(async () => ({}));

    // Rejected at L3: back to the L3 queue, and the supervisors' attention until one reassigns it.
    await t.act('agent', ticket.id, 'reject', { reason: 'still down' });
    await expectLists(async () => ({
      ...(await queued('support_l3', 'reject')),
      supervisor: [{ kind: 'ticket.attention', process, actions: ['reassign'], dueAt: await nextDueAt(ticket.id), createdAt: await recordedAt('ticket', ticket.id, 'reject') }],
    }));
    await t.act('supervisor', ticket.id, 'reassign', { tier: 'L3', assigneeId: h.users.support_l3.id });
    await expectLists(() => assigned('support_l3', ['request-info', 'resolve'], 'reassign'));

    await t.act('supervisor', ticket.id, 'cancel', { reason: 'duplicate' });
    await expectLists(async () => ({}));
  });

  it('lists the nearest due date first, filters by kind and due date, and pages with a cursor', async () => {
    const customer = await t.customer();
    // Standard customer, response windows: urgent 15 min, high 1 h, normal 4 h.
    const opened = [];
    for (const priority of ['normal', 'urgent', 'high']) opened.push({ priority, ...(await t.open({ customerId: customer.id, priority })) });
    const entry = async ({ id, priority }: { id: string; priority: string }) => ({
      kind: 'ticket.queue', process: ticketProcess(id, priority), actions: ['escalate'], dueAt: await nextDueAt(id), createdAt: await recordedAt('ticket', id, 'open'),
    });
    const [normal, urgent, high] = await Promise.all(opened.map(entry));
    await expectLists(async () => ({ agent: [urgent!, high!, normal!] }));

    const agent = h.users.agent.auth;
    expect((await tasksOf(agent, '?kind=ticket.queue')).items).toEqual([urgent, high, normal]);
    expect((await tasksOf(agent, '?kind=ticket.assigned')).items).toEqual([]);
    expect((await tasksOf(agent, `?dueBefore=${encodeURIComponent(normal!.dueAt!)}`)).items).toEqual([urgent, high]);
    const pages: Task[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await tasksOf(agent, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.items);
      cursor = page.nextCursor;
    }
    expect(pages).toEqual([[urgent], [high], [normal]]);

    for (const query of ['?kind=ticket.everything', '?dueBefore=tomorrow', '?dueBefore=0000-01-01T00:00:00Z']) {
      const refused = await h.app.inject({ method: 'GET', url: `/api/v1/tasks${query}`, headers: agent });
      expect({ query, status: refused.statusCode }).toEqual({ query, status: 400 });
    }
    for (const { id } of opened) await t.act('supervisor', id, 'cancel', { reason: 'test over' });
    await expectLists(async () => ({}));
  });
});

describe('order tasks', () => {
  const HOLD_MS = 24 * 3_600_000; // order.creditHoldTimeout's default

  it('give finance the credit hold, then fulfilment the shipment and the delivery', async () => {
    const customer = await o.customer('100.00');
    const product = await o.product({ stock: 30, listPrice: '10.00' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 20 }], paymentTerms: 'credit' });
    const process = { type: 'order', id: order.id, summary: `Order ${order.id} · 1 line · 200.00 · credit` };
    const since = (action: string) => recordedAt('order', order.id, action);

    await expectLists(async () => ({
      finance: [{ kind: 'order.credit_hold', process, actions: ['credit-decision'], dueAt: new Date(Date.parse(await since('credit-hold')) + HOLD_MS).toISOString(), createdAt: await since('credit-hold') }],
    }));
    await o.act('finance', order.id, 'credit-decision', { approve: true, note: 'good payer' });
    await expectLists(async () => ({ fulfilment: [{ kind: 'order.shipment', process, actions: ['shipments'], dueAt: null, createdAt: await since('fulfil') }] }));
    await o.act('fulfilment', order.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${order.id}` });
    await expectLists(async () => ({ fulfilment: [{ kind: 'order.delivery', process, actions: ['delivered'], dueAt: null, createdAt: await since('ship') }] }));
    await o.act('fulfilment', order.id, 'delivered');
    await o.reaches(order.id, 'completed');
    await expectLists(async () => ({}));
  });

  it('give fulfilment an activation report once a service activation goes unconfirmed, and none before', async () => {
    await o.settings({ 'order.activationTimeout': '2s' });
    const customer = await o.customer('1000.00');
    const service = await o.product({ kind: 'service', listPrice: '49.00' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: service.sku, qty: 1 }], paymentTerms: 'credit' });
    await o.reaches(order.id, 'provisioning');
    await expectLists(async () => ({}));
    const process = { type: 'order', id: order.id, summary: `Order ${order.id} · 1 line · 49.00 · credit` };
    await expectLists(async () => ({
      fulfilment: [{ kind: 'order.activation_report', process, actions: ['activation-report'], dueAt: null, createdAt: await recordedAt('order', order.id, 'activation-task') }],
    }));
    await o.act('fulfilment', order.id, 'activation-report', { note: 'checked on the switch' });
    await o.reaches(order.id, 'completed');
    await expectLists(async () => ({}));
  });
});

describe('contract tasks', () => {
  const DAY = 86_400_000;

  it('give each approver their step in turn, contract administration the signature, and the renewal from the notice period on', async () => {
    const validTo = new Date(Date.now() + 10 * DAY).toISOString();
    const draft = await c.draft({ targetValue: '150000.00', validFrom: c.inMs(-DAY), validTo, noticeDays: 30 });
    const process = { type: 'contract', id: draft.id, summary: `Contract ${draft.id} · value 150 000.00 · ${draft.customerId}` };
    const since = (action: string) => recordedAt('contract', draft.id, action);
    const approval = async (action: string) => [{ kind: 'contract.approval', process, actions: ['approve', 'reject'], dueAt: null, createdAt: await since(action) }];
    await expectLists(async () => ({}));

    await c.act('agent', draft.id, 'submit');
    await expectLists(async () => ({ sales_manager: await approval('submit') }));
    await c.act('sales_manager', draft.id, 'approve', { comment: 'fine' });
    await expectLists(async () => ({ finance: await approval('approve') }));
    await c.act('finance', draft.id, 'approve', { comment: 'fine' });
    await expectLists(async () => ({ contract_admin: [{ kind: 'contract.signature', process, actions: ['sign'], dueAt: validTo, createdAt: await since('approve') }] }));

    // Valid since yesterday: signed, it is active at once, and its notice period (30 days before valid-to) has begun.
    await c.act('contract_admin', draft.id, 'sign');
    await expectLists(async () => ({
      contract_admin: [{ kind: 'contract.renewal', process, actions: ['renew'], dueAt: validTo, createdAt: new Date(Date.parse(validTo) - 30 * DAY).toISOString() }],
    }));
    // Renewed for a year: the next notice period lies months ahead, so the task waits unlisted until then.
    await c.act('contract_admin', draft.id, 'renew', { months: 12 });
    await expectLists(async () => ({}));
    await c.act('contract_admin', draft.id, 'terminate', { reason: 'test over', effectiveDate: c.inMs(-1000) });
    await c.status(draft.id, 'terminated');
    await expectLists(async () => ({}));
  });
});

describe('the repositories', () => {
  it('replace a process\'s tasks only with a newer transition: a retried or a late write changes nothing', async () => {
    const customer = await t.customer();
    const id = `T-2026-R${uniq()}`;
    const input: TicketInput = {
      number: id, customerId: customer.id, channel: 'phone', category: 'fault', priority: 'low', subject: 'Line down', description: 'No tone',
      actor: { id: h.users.agent.id, name: 'Agent', roles: ['agent'] },
    };
    const policy: TicketPolicy = {
      customerTier: 'standard', sla: { responseMs: 3_600_000, resolutionMs: 8 * 3_600_000, reminderAt: 0.8, source: 'policy' },
      calendarName: null, calendar: null, confirmationWindowMs: 3_600_000,
    };
    const T0 = Date.now() - 60_000;
    const record = (ticket: TicketProcess, seq: number, action: string, at: number) => recordTicket(h.database.db, {
      ticket: ticketRecord(ticket, input, `ticket-${id}`),
      event: { seq, action, actorId: h.users.agent.id, fromStatus: null, toStatus: ticket.status, fromTier: null, toTier: ticket.tier, note: null, internal: false, at },
    }, { email: false }, null);
    const opened = openTicket(withPolicy(newTicket(T0), policy));
    const escalated = escalate(opened, 'check the line', T0 + 1_000);
    const inL2Queue = {
      support_l2: [{
        kind: 'ticket.queue', process: { type: 'ticket', id, summary: `Ticket ${id} · STANDARD · low · fault` }, actions: ['claim'],
        dueAt: new Date(ticketRecord(escalated, input, `ticket-${id}`).queueDueAt!).toISOString(), createdAt: new Date(T0 + 1_000).toISOString(),
      }],
    };
    await record(opened, 0, 'open', T0);
    await record(escalated, 1, 'escalate', T0 + 1_000);
    await expectLists(async () => inL2Queue);
    await record(opened, 0, 'open', T0);
    await record(escalated, 1, 'escalate', T0 + 5_000);
    await expectLists(async () => inL2Queue);
    await record(cancel(escalated, T0 + 2_000), 2, 'cancel', T0 + 2_000);
    await expectLists(async () => ({}));
  });
});
