import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillFilter, MANAGER_FILTERS, type ManagerFilterTitle } from '../../domain/manager-filters';
import { CrmCustomerTier } from '../../domain/search-attributes';
import { startHarness, type Harness } from '../helpers/harness';
import { overrideSettings } from '../helpers/settings';
import { contractDriver } from '../helpers/contracts';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Runs every README filter (domain/manager-filters.ts) through the client's list API, the same
// visibility query the Temporal UI sends: the workflows seeded to match are found, the ones seeded not
// to match are not. Other files' workflows may match too; only this file's are asserted on.
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let o: ReturnType<typeof orderDriver>;
let c: ReturnType<typeof contractDriver>;

// Only this file uses `urgent` tickets, so it may shorten their response window: 4 s (2 s for VIPs).
const URGENT = { 'sla.urgent.response': '4s', 'sla.urgent.resolution': '1h' };
let restoreSettings: (() => Promise<void>) | undefined;

beforeAll(async () => {
  h = await startHarness({ worker: true });
  t = ticketDriver(h);
  o = orderDriver(h);
  c = contractDriver(h);
  restoreSettings = await overrideSettings(h, URGENT);
});
afterAll(async () => {
  await restoreSettings?.();
  await h?.close();
});

interface Seeded {
  values?: Record<string, string | number>;
  matching: string[];
  other: string[];
}

const ticketWf = (id: string) => `ticket-${id}`;
const orderWf = (id: string) => `order-${id}`;
const contractWf = (id: string) => `contract-${id}`;
const DAY = 86_400_000;

async function claimedAtL2(overrides: Record<string, unknown> = {}) {
  const ticket = await t.open(overrides);
  await t.act('agent', ticket.id, 'escalate', { opinion: 'check the line' });
  await t.act('support_l2', ticket.id, 'claim');
  return ticket.id as string;
}

async function goodsOrder(options: { stock?: number; qty?: number; listPrice?: string; paymentTerms?: string; creditLimit?: string } = {}) {
  const customer = await o.customer(options.creditLimit ?? '1000.00');
  const product = await o.product({ stock: options.stock ?? 10, listPrice: options.listPrice ?? '10.00' });
  return (await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: options.qty ?? 1 }], paymentTerms: options.paymentTerms ?? 'cod' })).id as string;
}

const seeds: Record<ManagerFilterTitle, () => Promise<Seeded>> = {
  async 'breached tickets at L2'() {
    // Nobody answers at L1 within 4 s: breached and moved to L2, where support claims it before the next breach.
    const late = await t.open({ priority: 'urgent' });
    await eventually(() => t.get(late.id), (d) => d.tier === 'L2' && d.breached, { intervalMs: 100 });
    await t.act('support_l2', late.id, 'claim');
    const onTime = await claimedAtL2({ priority: 'urgent' });
    return { matching: [ticketWf(late.id)], other: [ticketWf(onTime)] };
  },
  async 'the L2 queue: tickets waiting to be claimed'() {
    const waiting = await t.open();
    await t.act('agent', waiting.id, 'escalate', { opinion: 'check the line' });
    return { matching: [ticketWf(waiting.id)], other: [ticketWf(await claimedAtL2())] };
  },
  async "a supporter's open tickets"() {
    const working = await claimedAtL2();
    const done = await claimedAtL2();
    await t.act('support_l2', done, 'resolve', { resolution: 'repaired' });
    await t.act('agent', done, 'confirm', { satisfaction: 4 });
    return { values: { userId: h.users.support_l2.id }, matching: [ticketWf(working)], other: [ticketWf(done)] };
  },
  async 'urgent VIP tickets still open'() {
    const vip = (await t.customer('vip')).id;
    const open = await t.open({ customerId: vip, priority: 'urgent' });
    const cancelled = await t.open({ customerId: vip, priority: 'urgent' });
    await t.act('supervisor', cancelled.id, 'cancel', { reason: 'duplicate' });
    const high = await t.open({ customerId: vip, priority: 'high' });
    return { matching: [ticketWf(open.id)], other: [ticketWf(cancelled.id), ticketWf(high.id)] };
  },
  async 'orders on credit hold'() {
    const held = await goodsOrder({ paymentTerms: 'credit', listPrice: '100.00', creditLimit: '50.00' });
    const cleared = await goodsOrder({ paymentTerms: 'credit', listPrice: '10.00' });
    await Promise.all([o.reaches(held, 'credit_hold'), o.reaches(cleared, 'fulfilling')]);
    return { matching: [orderWf(held)], other: [orderWf(cleared)] };
  },
  async 'backordered orders'() {
    const short = await goodsOrder({ stock: 1, qty: 5 });
    const enough = await goodsOrder({ stock: 5, qty: 5 });
    await Promise.all([o.reaches(short, 'backordered'), o.reaches(enough, 'fulfilling')]);
    return { matching: [orderWf(short)], other: [orderWf(enough)] };
  },
  async "VIP customers' open orders"() {
    const vip = (await t.customer('vip')).id;
    const product = await o.product();
    const order = (paymentTerms: string) => o.order({ customerId: vip, lines: [{ sku: product.sku, qty: 1 }], paymentTerms });
    const [open, cancelled, standard] = [await order('cod'), await order('cod'), await goodsOrder()];
    await o.reaches(cancelled.id, 'fulfilling');
    await o.act('agent', cancelled.id, 'cancel', { reason: 'ordered twice' });
    await o.reaches(cancelled.id, 'cancelled');
    return { matching: [orderWf(open.id)], other: [orderWf(cancelled.id), orderWf(standard)] };
  },
  async 'open orders from an amount up'() {
    const big = await goodsOrder({ listPrice: '95000.00' });
    const small = await goodsOrder({ listPrice: '10.00' });
    const bigCancelled = await goodsOrder({ listPrice: '95000.00' });
    await o.reaches(bigCancelled, 'fulfilling');
    await o.act('agent', bigCancelled, 'cancel', { reason: 'ordered twice' });
    await Promise.all([o.reaches(big, 'fulfilling'), o.reaches(bigCancelled, 'cancelled')]);
    return { values: { amount: 90_000 }, matching: [orderWf(big)], other: [orderWf(small), orderWf(bigCancelled)] };
  },
  async 'closed tickets'() {
    const closed = await t.open({ category: 'consultation' });
    await t.act('agent', closed.id, 'resolve', { resolution: 'explained' });
    await t.act('agent', closed.id, 'confirm', { satisfaction: 4 });
    const resolved = await t.open({ category: 'consultation' });
    await t.act('agent', resolved.id, 'resolve', { resolution: 'explained' });
    return { matching: [ticketWf(closed.id)], other: [ticketWf(resolved.id)] };
  },
  async 'contracts awaiting approval'() {
    const submitted = await c.draft();
    await c.act('agent', submitted.id, 'submit');
    const drafted = await c.draft();
    return { matching: [contractWf(submitted.id)], other: [contractWf(drafted.id)] };
  },
  async 'active contracts expiring within 30 days'() {
    const ending = await c.active({ validTo: c.inMs(20 * DAY) });
    const later = await c.active({ validTo: c.inMs(200 * DAY) });
    const notSigned = await c.draft({ validTo: c.inMs(10 * DAY) });
    return { values: { in30Days: c.inMs(30 * DAY) }, matching: [contractWf(ending.id)], other: [contractWf(later.id), contractWf(notSigned.id)] };
  },
  async 'everything for one customer'() {
    const customer = await t.customer();
    const ticket = await t.open({ customerId: customer.id });
    const product = await o.product();
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'cod' });
    const elsewhere = await t.open();
    return { values: { customerId: customer.id }, matching: [ticketWf(ticket.id), orderWf(order.id)], other: [ticketWf(elsewhere.id)] };
  },
};

async function list(query: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const wf of h.client.workflow.list({ query })) ids.add(wf.workflowId);
  return ids;
}

describe('what the Temporal UI shows', () => {
  const currentDetails = async (workflowId: string) =>
    (await h.client.workflow.getHandle(workflowId).query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails;

  it('gives a ticket a static summary and details, and current details naming its state, holder and next deadline', async () => {
    const customer = await t.customer('key');
    const id = await claimedAtL2({ customerId: customer.id, category: 'billing', priority: 'high', subject: 'Double charge' });
    const description = await h.client.workflow.getHandle(ticketWf(id)).describe();
    expect(await description.staticSummary()).toBe(`Ticket ${id} · KEY · high · billing`);
    expect(await description.staticDetails()).toBe(`Customer ${customer.id} via phone`);
    expect(await currentDetails(ticketWf(id))).toMatch(new RegExp(`^\\*\\*in_progress_l2\\*\\* at L2 · assigned to ${h.users.support_l2.id} · next deadline \\d{4}-`));
  });

  it('gives a contract a static summary and details, and current details naming its state and whose approval it awaits', async () => {
    const draft = await c.draft({ targetValue: '150000.00', externalRef: 'PO-7', validFrom: '2026-01-01', validTo: '2027-12-31' });
    await c.act('agent', draft.id, 'submit');
    const description = await h.client.workflow.getHandle(contractWf(draft.id)).describe();
    expect(await description.staticSummary()).toBe(`Contract ${draft.id} · value 150 000.00 · ${draft.customerId}`);
    expect(await description.staticDetails()).toBe(`Customer ${draft.customerId} · ref PO-7 · 2026-01-01 – 2027-12-31`);
    expect(description.typedSearchAttributes.get(CrmCustomerTier)).toBe('key');
    await eventually(() => currentDetails(contractWf(draft.id)), (d) => /^\*\*pending_approval\*\* · v1 · term 1 · value 150000\.00 · valid to .* awaits sales_manager \(step 1\/2\)/.test(d ?? ''));
  });

  it('gives an order a static summary and details, and current details naming its state and what it waits for', async () => {
    const customer = await o.customer('50.00');
    const product = await o.product({ listPrice: '100.00' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'credit', deliveryAddress: '1 Main St' });
    await o.reaches(order.id, 'credit_hold');
    const description = await h.client.workflow.getHandle(orderWf(order.id)).describe();
    expect(await description.staticSummary()).toBe(`Order ${order.id} · 1 line · 100.00 · credit`);
    expect(await description.staticDetails()).toBe(`Customer ${customer.id}: 1 × ${product.sku}`);
    expect(description.typedSearchAttributes.get(CrmCustomerTier)).toBe('standard');
    await eventually(() => currentDetails(orderWf(order.id)), (d) => /^\*\*credit_hold\*\* · total 100\.00 \(credit\) · waiting for a finance credit decision until \d{4}-/.test(d ?? ''));
  });
});

describe('README filters for the Temporal UI', () => {
  for (const filter of MANAGER_FILTERS) {
    it(`finds ${filter.title} and nothing seeded not to match`, async () => {
      const seeded = await seeds[filter.title]();
      const query = fillFilter(filter.query, seeded.values);
      // Visibility is eventually consistent: wait until it shows this file's workflows as they now stand.
      const found = await eventually(() => list(query), (ids) => seeded.matching.every((id) => ids.has(id)) && !seeded.other.some((id) => ids.has(id)));
      expect(seeded.matching.filter((id) => !found.has(id))).toEqual([]);
      expect(seeded.other.filter((id) => found.has(id))).toEqual([]);
    });
  }
});
