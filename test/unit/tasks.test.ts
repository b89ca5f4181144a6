import { describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_THRESHOLDS } from '../../domain/approvals';
import type { ContractTerms } from '../../domain/contracts';
import { parseInstant, REAL_DAY_MS } from '../../domain/dates';
import { orderTermsFrom } from '../../domain/orders';
import type { ContractInput } from '../../domain/processes/contract';
import {
  activateContract, amendContract, approveStep, contractRecord, draftContract, endContract, openContract, rejectStep, signContract, submitContract,
  type ContractProcess,
} from '../../domain/processes/contract-state';
import type { OrderInput, OrderLineRecord } from '../../domain/processes/order';
import {
  activated, cancelled, enter, openActivationTask, orderRecord, priced, receiveOrder, shipped, withTerms, type OrderProcess,
} from '../../domain/processes/order-state';
import type { TicketInput, TicketPolicy } from '../../domain/processes/ticket';
import {
  claim, close, customerReply, escalate, newTicket, openTicket, reassign, reject, requestInfo, resolve, ticketRecord, withPolicy, type TicketProcess,
} from '../../domain/processes/ticket-state';
import type { Actor } from '../../domain/roles';
import { defaultSettings } from '../../domain/settings';
import { contractTasks, orderTasks, ownersOf, taskOwner, ticketTasks } from '../../domain/tasks';

// Each process is moved with its own state functions and its record read for tasks, as the repositories do.
const T0 = Date.parse('2026-03-02T09:00:00Z');
const MIN = 60_000;

describe('ticket tasks', () => {
  const policy: TicketPolicy = {
    customerTier: 'vip', sla: { responseMs: 60 * MIN, resolutionMs: 8 * 60 * MIN, reminderAt: 0.8, source: 'policy' },
    calendarName: null, calendar: null, confirmationWindowMs: 30 * MIN,
  };
  const input = (category: TicketInput['category']): TicketInput => ({
    number: 'T-2026-000001', customerId: 'CUS-000001', channel: 'phone', category, priority: 'high', subject: 'Line down', description: 'No tone',
    actor: { id: 'U-agent', name: 'Agent', roles: ['agent'] },
  });
  const opened = () => openTicket(withPolicy(newTicket(T0), policy));
  const tasksOf = (t: TicketProcess, category: TicketInput['category'] = 'fault') => ticketTasks(ticketRecord(t, input(category), 'ticket-T-2026-000001'));
  const summary = 'Ticket T-2026-000001 · VIP · high · fault';

  it('puts a new ticket in the agents\' L1 queue, with resolve only where the category allows it, due at the response deadline', () => {
    expect(tasksOf(opened())).toEqual({
      process: { type: 'ticket', id: 'T-2026-000001', summary },
      tasks: [{ kind: 'ticket.queue', role: 'agent', userId: null, barred: [], actions: ['escalate'], dueAt: T0 + 60 * MIN, opensAt: null }],
    });
    expect(tasksOf(opened(), 'consultation').tasks.map((task) => task.actions)).toEqual([['escalate', 'resolve']]);
  });

  it('moves an escalated ticket to the L2 queue to be claimed, then to its assignee alone, then back to the queue on release', () => {
    const queued = escalate(opened(), 'needs a technician', T0 + 10 * MIN);
    expect(tasksOf(queued).tasks).toEqual([{ kind: 'ticket.queue', role: 'support_l2', userId: null, barred: [], actions: ['claim'], dueAt: T0 + 70 * MIN, opensAt: null }]);
    const worked = claim(queued, 'U-l2');
    expect(tasksOf(worked).tasks).toEqual([
      { kind: 'ticket.assigned', role: 'support_l2', userId: 'U-l2', barred: [], actions: ['escalate', 'request-info', 'resolve'], dueAt: T0 + 8 * 60 * MIN, opensAt: null },
    ]);
    const waiting = requestInfo(worked, T0 + 20 * MIN);
    expect(tasksOf(waiting).tasks).toEqual([{ kind: 'ticket.assigned', role: 'support_l2', userId: 'U-l2', barred: [], actions: ['customer-reply'], dueAt: null, opensAt: null }]);
    expect(tasksOf(customerReply(waiting, T0 + 30 * MIN)).tasks.map((task) => task.actions)).toEqual([['escalate', 'request-info', 'resolve']]);
  });

  it('has no task while the customer decides on a resolution, nor once the ticket is closed', () => {
    const resolved = resolve(claim(escalate(opened(), 'x', T0), 'U-l2'), 'fixed', T0 + 5 * MIN);
    expect(tasksOf(resolved).tasks).toEqual([]);
    expect(tasksOf(close(resolved, 5, T0 + 6 * MIN)).tasks).toEqual([]);
  });

  it('gives a rejected L3 resolution back to the L3 queue and to the supervisors, until a supervisor reassigns it', () => {
    const atL3 = claim(escalate(claim(escalate(opened(), 'x', T0), 'U-l2'), 'y', T0 + MIN), 'U-l3');
    const reopened = reject(resolve(atL3, 'fixed', T0 + 2 * MIN), T0 + 3 * MIN);
    expect(tasksOf(reopened).tasks.map(({ kind, role, actions }) => ({ kind, role, actions }))).toEqual([
      { kind: 'ticket.queue', role: 'support_l3', actions: ['claim'] },
      { kind: 'ticket.attention', role: 'supervisor', actions: ['reassign'] },
    ]);
    expect(tasksOf(reassign(reopened, 'L3', 'U-l3b', T0 + 4 * MIN)).tasks.map(({ kind, userId }) => ({ kind, userId }))).toEqual([
      { kind: 'ticket.assigned', userId: 'U-l3b' },
    ]);
  });
});

describe('order tasks', () => {
  const input: OrderInput = { number: 'SO-2026-000001', customerId: 'CUS-000001', lines: [], paymentTerms: 'credit', actor: { id: 'U-agent', name: 'A', roles: ['agent'] } };
  const goods = { sku: 'A', qty: 2, rule: 'list', promotionId: null, unitPriceCents: 1000, lineTotalCents: 2000, kind: 'goods' } as OrderLineRecord;
  const service = { sku: 'S', qty: 1, rule: 'list', promotionId: null, unitPriceCents: 500, lineTotalCents: 500, kind: 'service' } as OrderLineRecord;
  const terms = orderTermsFrom(defaultSettings());
  const pricedWith = (lines: OrderLineRecord[]) => priced(withTerms(receiveOrder(T0), terms), lines, 2500);
  const tasksOf = (o: OrderProcess, at = T0) => orderTasks(orderRecord(o, input, 'order-SO-2026-000001'), at);
  const kinds = (o: OrderProcess) => tasksOf(o).tasks.map(({ kind, role, actions }) => ({ kind, role, actions }));

  it('holds credit for finance, due when order.creditHoldTimeout runs out after the hold was recorded', () => {
    expect(tasksOf(enter(pricedWith([goods, service]), 'credit_hold'), T0 + 5_000)).toEqual({
      process: { type: 'order', id: 'SO-2026-000001', summary: 'Order SO-2026-000001 · 2 lines · 25.00 · credit' },
      // Whoever placed the order is left out of finance's list, should they be in finance too (four eyes).
      tasks: [{ kind: 'order.credit_hold', role: 'finance', userId: null, barred: ['U-agent'], actions: ['credit-decision'], dueAt: T0 + 5_000 + 24 * 60 * MIN, opensAt: null }],
    });
    const relaxed = orderTermsFrom({ ...defaultSettings(), 'fourEyes.creditDecision': false });
    const held = enter(priced(withTerms(receiveOrder(T0), relaxed), [goods], 2000), 'credit_hold');
    expect(tasksOf(held).tasks.map((task) => task.barred)).toEqual([[]]);
  });

  it('ships goods, and a mixed order only once its services are active', () => {
    expect(kinds(enter(pricedWith([goods]), 'fulfilling'))).toEqual([{ kind: 'order.shipment', role: 'fulfilment', actions: ['shipments'] }]);
    expect(kinds(enter(pricedWith([goods, service]), 'fulfilling'))).toEqual([]);
    expect(kinds(activated(enter(pricedWith([goods, service]), 'provisioning')))).toEqual([{ kind: 'order.shipment', role: 'fulfilment', actions: ['shipments'] }]);
    expect(kinds(shipped(enter(pricedWith([goods]), 'fulfilling'), { carrier: 'DHL', trackingNo: '1' }))).toEqual([{ kind: 'order.delivery', role: 'fulfilment', actions: ['delivered'] }]);
  });

  it('asks fulfilment for an activation report only once the activation went unconfirmed', () => {
    const provisioning = enter(pricedWith([service]), 'provisioning');
    expect(kinds(provisioning)).toEqual([]);
    expect(kinds(openActivationTask(provisioning))).toEqual([{ kind: 'order.activation_report', role: 'fulfilment', actions: ['activation-report'] }]);
  });

  it('has no task in the states nobody acts in, nor once cancelled', () => {
    for (const status of ['received', 'priced', 'reserved', 'backordered', 'delivered', 'invoiced', 'completed'] as const) {
      expect({ status, kinds: kinds(enter(pricedWith([goods]), status)) }).toEqual({ status, kinds: [] });
    }
    expect(kinds(cancelled(enter(pricedWith([goods]), 'credit_hold'), 'no', T0))).toEqual([]);
  });
});

describe('contract tasks', () => {
  const NOW = parseInstant('2026-03-01');
  const admin: Actor = { id: 'U-admin', name: 'Admin', roles: ['contract_admin'] };
  const manager: Actor = { id: 'U-sm', name: 'SM', roles: ['sales_manager'] };
  const finance: Actor = { id: 'U-fi', name: 'Fi', roles: ['finance'] };
  const policy = { thresholds: DEFAULT_APPROVAL_THRESHOLDS, invoiceDueDays: 30 };
  const validTo = parseInstant('2026-12-31');
  const terms: ContractTerms = {
    validFrom: parseInstant('2026-01-01'), validTo, targetValueCents: 15_000_000, targetQuantities: null, prices: [],
    paymentTerms: null, billing: null, autoRenew: false, renewalMonths: 12, noticeDays: 30, terms: null,
  };
  const input: ContractInput = {
    number: 'C-2026-000001', customerId: 'CUS-000001', type: 'value', terms, actor: admin, dayMs: REAL_DAY_MS,
    particulars: { externalRef: null, poDate: null, salesOrg: null, channel: null, division: null, sla: null },
  };
  const tasksOf = (c: ContractProcess) => contractTasks(contractRecord(c, input, 'contract-C-2026-000001'));
  const kinds = (c: ContractProcess) => tasksOf(c).tasks.map(({ kind, role, actions, dueAt, opensAt }) => ({ kind, role, actions, dueAt, opensAt }));
  const submitted = () => submitContract(openContract(draftContract(terms, NOW), policy, admin, NOW).contract, admin);
  const noticeFrom = validTo - 30 * REAL_DAY_MS;

  it('gives each approval step to its role in turn, and a rejected draft to nobody', () => {
    expect(tasksOf(submitted())).toEqual({
      process: { type: 'contract', id: 'C-2026-000001', summary: 'Contract C-2026-000001 · value 150 000.00 · CUS-000001' },
      // The drafter, who submitted it too, may not approve: the step is another sales manager's (four eyes).
      tasks: [{ kind: 'contract.approval', role: 'sales_manager', userId: null, barred: ['U-admin'], actions: ['approve', 'reject'], dueAt: null, opensAt: null }],
    });
    const relaxed = submitContract(openContract(draftContract(terms, NOW), { ...policy, fourEyes: false }, admin, NOW).contract, admin);
    expect(tasksOf(relaxed).tasks.map((task) => task.barred)).toEqual([[]]);
    const atFinance = approveStep(submitted(), manager, null, NOW).contract;
    expect(kinds(atFinance)).toEqual([{ kind: 'contract.approval', role: 'finance', actions: ['approve', 'reject'], dueAt: null, opensAt: null }]);
    expect(kinds(rejectStep(atFinance, finance, 'no', NOW).contract)).toEqual([]);
  });

  it('asks contract administration to sign an approved contract before its valid-to', () => {
    const approved = approveStep(approveStep(submitted(), manager, null, NOW).contract, finance, null, NOW).contract;
    expect(kinds(approved)).toEqual([{ kind: 'contract.signature', role: 'contract_admin', actions: ['sign'], dueAt: validTo, opensAt: null }]);
    expect(kinds(signContract(approved, NOW))).toEqual([]);
  });

  it('opens the renewal decision with the notice period, and withholds it while an amendment awaits approval or once ended', () => {
    const active = activateContract(signContract(approveStep(approveStep(submitted(), manager, null, NOW).contract, finance, null, NOW).contract, NOW), NOW);
    expect(kinds(active)).toEqual([{ kind: 'contract.renewal', role: 'contract_admin', actions: ['renew'], dueAt: validTo, opensAt: noticeFrom }]);
    const amending = amendContract(active, { ...terms, targetValueCents: 20_000_000 }, 'more', admin, NOW).contract;
    expect(kinds(amending)).toEqual([{ kind: 'contract.approval', role: 'sales_manager', actions: ['approve', 'reject'], dueAt: null, opensAt: null }]);
    expect(kinds(endContract(active, 'expired', validTo).contract)).toEqual([]);
    expect(kinds({ ...active, terms: { ...terms, noticeDays: 0 } })).toEqual([]);
  });
});

describe('task owners', () => {
  it('puts a role\'s task on the role\'s list and a user\'s on theirs, and a caller reads their own and each of their roles\'', () => {
    expect(taskOwner({ role: 'support_l2', userId: null })).toBe('role:support_l2');
    expect(taskOwner({ role: 'support_l2', userId: 'U-000007' })).toBe('user:U-000007');
    expect(ownersOf({ id: 'U-000007', roles: ['support_l2', 'supervisor'] })).toEqual(['user:U-000007', 'role:support_l2', 'role:supervisor']);
  });
});
