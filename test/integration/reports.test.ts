import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';

// Every report is asked for one region that only this file's customers live in, so tickets and orders
// of test files running alongside never enter the figures. Each figure is compared with a hand count.
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let o: ReturnType<typeof orderDriver>;
const region = `reports-${uniq()}`;

beforeAll(async () => {
  h = await startHarness({ worker: true });
  t = ticketDriver(h);
  o = orderDriver(h);
});
afterAll(async () => { await h?.close(); });

const customerIn = (name: string, creditLimit = '1000.00') =>
  t.call('agent', 'POST', '/customers', { name: `${name} ${uniq()}`, kind: 'enterprise', tier: 'standard', region, creditLimit }, 201);
const report = (path: string, query = '') => t.call('manager', 'GET', `/reports/${path}?region=${region}${query}`);
const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));

describe('report access', () => {
  it('admits managers, supervisors and admins, and refuses everyone else', async () => {
    for (const path of ['tickets', 'orders', 'customers/abc']) {
      for (const role of ['manager', 'supervisor', 'admin'] as const) await t.call(role, 'GET', `/reports/${path}?region=${region}`);
      await t.call('agent', 'GET', `/reports/${path}`, undefined, 403);
    }
    await t.call('manager', 'GET', '/reports/tickets?from=yesterday', undefined, 400);
  });
});

describe('ticket report', () => {
  it('counts tickets, breaches, escalations, resolution times, reopens and satisfaction of the region', async () => {
    const customer = await customerIn('Ticket customer');
    const open = (category: string) => t.open({ customerId: customer.id, category, priority: 'low' });
    // T1: consultation resolved at L1, satisfaction 5.
    const t1 = await open('consultation');
    await t.act('agent', t1.id, 'resolve', { resolution: 'explained' });
    await t.act('agent', t1.id, 'confirm', { satisfaction: 5 });
    // T2: fault resolved at L2, satisfaction 3.
    const t2 = await open('fault');
    await t.act('agent', t2.id, 'escalate', { opinion: 'check the line' });
    await t.act('support_l2', t2.id, 'claim');
    await t.act('support_l2', t2.id, 'resolve', { resolution: 'line repaired' });
    await t.act('agent', t2.id, 'confirm', { satisfaction: 3 });
    // T3: fault escalated on to L3 and worked there.
    const t3 = await open('fault');
    await t.act('agent', t3.id, 'escalate', { opinion: 'check the line' });
    await t.act('support_l2', t3.id, 'claim');
    await t.act('support_l2', t3.id, 'escalate', { opinion: 'needs the network team' });
    await t.act('support_l3', t3.id, 'claim');
    // T4: billing, untouched (and, below, breached and created long ago).
    const t4 = await open('billing');
    // T5: consultation resolved at L1, rejected by the customer: reopened at L2.
    const t5 = await open('consultation');
    await t.act('agent', t5.id, 'resolve', { resolution: 'explained' });
    await t.act('agent', t5.id, 'reject', { reason: 'still unclear' });

    // Report inputs a real run would need hours for: resolution after 1 hour (T1) and after 3 days (T2),
    // an SLA breach (T4), and T4's intake moved into 2020 for the date filter.
    const db = h.database.db;
    await db.execute(sql`update tickets set resolved_at = created_at + interval '1 hour' where id = ${t1.id}`);
    await db.execute(sql`update tickets set resolved_at = created_at + interval '3 days' where id = ${t2.id}`);
    await db.execute(sql`update tickets set breached = true, created_at = '2020-03-15T10:00:00Z' where id = ${t4.id}`);

    expect(await report('tickets')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      total: 5,
      byStatus: { ...zeros(['new', 'escalated_l2', 'in_progress_l2', 'escalated_l3', 'in_progress_l3', 'pending_customer', 'resolved', 'closed', 'cancelled']), closed: 2, in_progress_l3: 1, new: 1, escalated_l2: 1 },
      byTier: { L1: 2, L2: 2, L3: 1 },
      byCategory: { ...zeros(['usage', 'fault', 'billing', 'service_quality', 'consultation', 'other']), consultation: 2, fault: 2, billing: 1 },
      slaBreachRate: 0.2, // T4 of 5
      escalationRates: { l1ToL2: 0.6, l2ToL3: 0.3333 }, // T2, T3, T5 reached L2 of 5; T3 reached L3 of those 3
      // 3 600 s and 259 200 s: p50 = the midpoint, p90 = 3 600 + 0.9 × 255 600.
      timeToResolve: { count: 2, p50Seconds: 131_400, p90Seconds: 233_640 },
      reopenRate: 0.3333, // T5 of the 3 ever resolved (T1, T2, T5)
      satisfaction: { responses: 2, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 } },
    });

    const in2020 = await report('tickets', '&from=2020-03-15&to=2020-03-15');
    expect(in2020).toMatchObject({ scope: { from: '2020-03-15', to: '2020-03-15' }, total: 1, byCategory: { billing: 1 }, slaBreachRate: 1 });
    expect((await report('tickets', '&from=2020-03-16')).total).toBe(4);
    expect((await report('tickets', `&customerId=${t1.customerId}&to=2020-03-14`)).total).toBe(0);
  });
});

describe('order report and ABC classes', () => {
  it('counts orders, cycle times, cancellations and revenue, and classes the customers by revenue', async () => {
    const [big, middle, small] = [await customerIn('Big'), await customerIn('Middle'), await customerIn('Small')];
    const [p10, p100] = [await o.product({ stock: 50, listPrice: '10.00' }), await o.product({ stock: 50, listPrice: '100.00' })];
    const tracking = () => ({ carrier: 'DHL', trackingNo: `TRK-${uniq()}` });

    // O1: prepaid 2 × 10.00, paid, delivered: completed.
    const o1 = await o.order({ customerId: big.id, lines: [{ sku: p10.sku, qty: 2 }], paymentTerms: 'prepaid' });
    await o.reaches(o1.id, 'awaiting_payment');
    await o.act('finance', o1.id, 'payments', { amount: '20.00', reference: 'BANK-1' });
    await o.act('fulfilment', o1.id, 'shipments', tracking());
    await o.act('fulfilment', o1.id, 'delivered');
    // O2: credit 1 × 100.00, invoiced, delivered: completed.
    const o2 = await o.order({ customerId: big.id, lines: [{ sku: p100.sku, qty: 1 }], paymentTerms: 'credit' });
    await o.reaches(o2.id, 'fulfilling');
    await o.act('fulfilment', o2.id, 'shipments', tracking());
    await o.act('fulfilment', o2.id, 'delivered');
    // O3: prepaid 1 × 10.00, paid, then cancelled: the payment is refunded and earns nothing.
    const o3 = await o.order({ customerId: big.id, lines: [{ sku: p10.sku, qty: 1 }], paymentTerms: 'prepaid' });
    await o.reaches(o3.id, 'awaiting_payment');
    await o.act('finance', o3.id, 'payments', { amount: '10.00', reference: 'BANK-2' });
    await o.act('agent', o3.id, 'cancel', { reason: 'changed their mind' });
    // O4: cash on delivery 3 × 10.00, waiting for the shipment: not paid yet.
    const o4 = await o.order({ customerId: big.id, lines: [{ sku: p10.sku, qty: 3 }], paymentTerms: 'cod' });
    await Promise.all([o.reaches(o1.id, 'completed'), o.reaches(o2.id, 'completed'), o.reaches(o3.id, 'cancelled'), o.reaches(o4.id, 'fulfilling')]);
    // Cycle times a real run would need hours for: 2 hours (O1) and 1 day (O2).
    const db = h.database.db;
    await db.execute(sql`update orders set closed_at = created_at + interval '2 hours' where id = ${o1.id}`);
    await db.execute(sql`update orders set closed_at = created_at + interval '1 day' where id = ${o2.id}`);

    expect(await report('orders')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      total: 4,
      byStatus: {
        ...zeros(['received', 'priced', 'credit_hold', 'reserved', 'backordered', 'awaiting_payment', 'fulfilling', 'provisioning', 'shipped', 'delivered', 'activated', 'invoiced', 'completed', 'cancelled']),
        completed: 2, cancelled: 1, fulfilling: 1,
      },
      // 7 200 s and 86 400 s: p50 = the midpoint, p90 = 7 200 + 0.9 × 79 200.
      cycleTime: { count: 2, p50Seconds: 46_800, p90Seconds: 78_480 },
      cancellationRate: 0.25,
      revenue: '120.00', // O1 + O2
    });
    expect((await report('orders', `&customerId=${middle.id}`)).total).toBe(0);

    // Invoices of the other two customers (contract billing in real life): a void one never counts.
    const invoice = async (customerId: string, amount: string, status: 'open' | 'void') => db.execute(sql`
      insert into invoices (id, dedupe_key, customer_id, description, amount, issued_on, due_on, status)
      values (${`INV-T-${uniq()}`}, ${`test:${uniq()}`}, ${customerId}, 'test invoice', ${amount}, current_date, current_date + 30, ${status})`);
    await invoice(middle.id, '25.00', 'open');
    await invoice(small.id, '5.00', 'open');
    await invoice(small.id, '1000.00', 'void');

    // Revenue: Big 20.00 paid (O1) + 100.00 invoiced (O2) = 120.00; Middle 25.00; Small 5.00; 150.00 in all.
    // Big starts at 0 % (A), Middle at 80 % (B), Small at 96.67 % (C).
    expect(await report('customers/abc')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      totalRevenue: '150.00',
      classes: {
        A: { customers: 1, revenue: '120.00', share: 0.8 },
        B: { customers: 1, revenue: '25.00', share: 0.1667 },
        C: { customers: 1, revenue: '5.00', share: 0.0333 },
      },
      customers: [
        { customerId: big.id, name: big.name, revenue: '120.00', share: 0.8, cumulativeShare: 0.8, class: 'A' },
        { customerId: middle.id, name: middle.name, revenue: '25.00', share: 0.1667, cumulativeShare: 0.9667, class: 'B' },
        { customerId: small.id, name: small.name, revenue: '5.00', share: 0.0333, cumulativeShare: 1, class: 'C' },
      ],
    });
    const before = await report('customers/abc', '&to=2020-12-31');
    expect(before).toMatchObject({ totalRevenue: '0.00', customers: [], classes: { A: { customers: 0, revenue: '0.00', share: null } } });
  });
});
