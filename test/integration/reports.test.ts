import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dayOf } from '../../domain/dates';
import { setUpCustomer } from '../helpers/customers';
import { overrideSettings } from '../helpers/settings';
import { eventually } from '../helpers/wait';
import { processDrivers, type ProcessDrivers } from '../helpers/drivers';
import { startHarness, uniq, type Harness } from '../helpers/harness';

// Each test asks its reports for a region that only its own customers live in, so data of other tests
// and of files running alongside never enters the figures. Every figure is compared with a hand count.
let h: Harness;
let t: ProcessDrivers['t'], o: ProcessDrivers['o'], c: ProcessDrivers['c'], rows: ProcessDrivers['rows'];
let region: string;

beforeAll(async () => {
  h = await startHarness({ worker: true });
  ({ t, o, c, rows } = processDrivers(h));
});
beforeEach(() => { region = `reports-${uniq()}`; });
afterAll(async () => { await h?.close(); });

const customerIn = (name: string, creditLimit = '1000.00') => setUpCustomer(h, { name: `${name} ${uniq()}`, region, creditLimit });
const report = (path: string, query = '') => t.call('manager', 'GET', `/reports/${path}?region=${region}${query}`);
const DAY = 86_400_000;
const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));

describe('report access', () => {
  it('admits managers, supervisors and admins, and refuses everyone else', async () => {
    for (const path of ['tickets', 'tickets/daily', 'orders', 'contracts', 'receivables', 'customers/abc']) {
      for (const role of ['manager', 'supervisor', 'admin'] as const) await t.call(role, 'GET', `/reports/${path}?region=${region}`);
      await t.call('agent', 'GET', `/reports/${path}`, undefined, 403);
    }
    await t.call('manager', 'GET', '/reports/tickets?from=yesterday', undefined, 400);
    const tooLong = await t.call('manager', 'GET', '/reports/tickets/daily?from=2025-01-01&to=2026-01-02', undefined, 400);
    expect(tooLong.detail).toBe('a per-day report spans at most 366 days; 2025-01-01 to 2026-01-02 is longer');
    await t.call('manager', 'GET', '/reports/tickets/daily?from=2025-01-02&to=2026-01-02');
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
    await db.execute(sql`update tickets set resolved_at = created_at + interval '1 hour', closed_at = created_at + interval '4 hours' where id = ${t1.id}`);
    await db.execute(sql`update tickets set resolved_at = created_at + interval '3 days', closed_at = created_at + interval '3 days' where id = ${t2.id}`);
    await db.execute(sql`update tickets set breached = true, created_at = '2020-03-15T10:00:00Z' where id = ${t4.id}`);

    expect(await report('tickets')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      total: 5,
      byStatus: { ...zeros(['new', 'escalated_l2', 'in_progress_l2', 'escalated_l3', 'in_progress_l3', 'pending_customer', 'resolved', 'closed', 'cancelled', 'merged']), closed: 2, in_progress_l3: 1, new: 1, escalated_l2: 1 },
      byTier: { L1: 2, L2: 2, L3: 1 },
      byCategory: { ...zeros(['usage', 'fault', 'billing', 'service_quality', 'consultation', 'other']), consultation: 2, fault: 2, billing: 1 },
      slaBreachRate: 0.2, // T4 of 5
      escalationRates: { l1ToL2: 0.6, l2ToL3: 0.3333 }, // T2, T3, T5 reached L2 of 5; T3 reached L3 of those 3
      // 3 600 s and 259 200 s: p50 = the midpoint, p90 = 3 600 + 0.9 × 255 600.
      timeToResolve: { count: 2, p50Seconds: 131_400, p90Seconds: 233_640 },
      reopenRate: 0.3333, // T5 of the 3 ever resolved (T1, T2, T5)
      satisfaction: { responses: 2, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 } },
      // The closed T1 after exactly 4 hours and T2 after exactly 3 days: each lower edge belongs to its bucket.
      cycleTimeDistribution: { '<1h': 0, '1-4h': 0, '4-8h': 1, '8-24h': 0, '1-3d': 0, '3-7d': 1, '>7d': 0 },
    });

    const in2020 = await report('tickets', '&from=2020-03-15&to=2020-03-15');
    expect(in2020).toMatchObject({ scope: { from: '2020-03-15', to: '2020-03-15' }, total: 1, byCategory: { billing: 1 }, slaBreachRate: 1 });
    expect((await report('tickets', '&from=2020-03-16')).total).toBe(4);
    expect((await report('tickets', `&customerId=${t1.customerId}&to=2020-03-14`)).total).toBe(0);
  });
});

describe('ticket figures per day', () => {
  it('counts SLA breaches per day by tier and priority, and replays each tier queue\'s depth at the end of every day from the events', async () => {
    const customer = await customerIn('Daily customer');
    // A real breach: urgent tickets answer within 3 s (only this test opens urgent tickets, and puts the window back).
    const restore = await overrideSettings(h, { 'sla.urgent.response': '3s', 'sla.calendar': null });
    const t4 = await t.open({ customerId: customer.id, priority: 'urgent' }).finally(restore);
    await eventually(() => t.get(t4.id), (d) => d.status === 'escalated_l2');
    await t.act('support_l2', t4.id, 'claim');
    const [t1, t2, t3] = [await t.open({ customerId: customer.id, priority: 'high' }), await t.open({ customerId: customer.id }), await t.open({ customerId: customer.id })];
    await t.act('agent', t1.id, 'escalate', { opinion: 'check the line' });
    await t.act('support_l2', t1.id, 'claim');
    await t.act('agent', t2.id, 'escalate', { opinion: 'check the line' });

    // The events happened seconds apart; spread them over days of March 2026 (UTC), in their own order.
    const db = h.database.db;
    const days: Record<string, string[]> = {
      [t1.id]: ['2026-03-01T10:00:00Z', '2026-03-02T09:00:00Z', '2026-03-03T11:00:00Z'], // open (L1), escalate (L1 → L2), claim (leaves L2)
      [t2.id]: ['2026-03-01T12:00:00Z', '2026-03-03T08:00:00Z'], // open, escalate: waiting at L2 from the 3rd
      [t3.id]: ['2026-02-20T10:00:00Z'], // opened before the range, still new at L1
      [t4.id]: ['2026-03-02T10:00:00Z', '2026-03-02T23:59:59Z', '2026-03-04T00:00:00Z'], // open, response breach at L1 (→ L2), claim
    };
    for (const [id, times] of Object.entries(days)) {
      const events = (await db.execute(sql`select seq, action from ticket_events where ticket_id = ${id} order by seq`)) as unknown as Array<{ seq: number; action: string }>;
      expect(events.map((e) => e.action), id).toEqual(id === t4.id ? ['open', 'response-breach', 'claim'] : id === t3.id ? ['open'] : id === t2.id ? ['open', 'escalate'] : ['open', 'escalate', 'claim']);
      for (const [i, e] of events.entries()) await db.execute(sql`update ticket_events set at = ${times[i]} where ticket_id = ${id} and seq = ${e.seq}`);
    }

    const tiers = (L1: number, L2: number, L3: number) => ({ L1, L2, L3 });
    const priorities = (urgent = 0) => ({ low: 0, normal: 0, high: 0, urgent });
    expect(await report('tickets/daily', '&from=2026-03-01&to=2026-03-05')).toEqual({
      scope: { from: '2026-03-01', to: '2026-03-05', region, customerId: null },
      breaches: [
        { day: '2026-03-01', total: 0, byTier: tiers(0, 0, 0), byPriority: priorities() },
        { day: '2026-03-02', total: 1, byTier: tiers(1, 0, 0), byPriority: priorities(1) },
        ...['2026-03-03', '2026-03-04', '2026-03-05'].map((day) => ({ day, total: 0, byTier: tiers(0, 0, 0), byPriority: priorities() })),
      ],
      queueDepth: [
        { day: '2026-03-01', ...tiers(3, 0, 0) }, // T3 from before, T1 and T2 opened
        { day: '2026-03-02', ...tiers(2, 2, 0) }, // T1 escalated; T4 opened and breached up to L2
        { day: '2026-03-03', ...tiers(1, 2, 0) }, // T1 claimed, T2 escalated
        { day: '2026-03-04', ...tiers(1, 1, 0) }, // T4 claimed at midnight
        { day: '2026-03-05', ...tiers(1, 1, 0) },
      ],
    });
    // A range starting later begins from the depth its first day inherits; another customer sees nothing of this.
    expect((await report('tickets/daily', '&from=2026-03-03&to=2026-03-03')).queueDepth).toEqual([{ day: '2026-03-03', ...tiers(1, 2, 0) }]);
    const other = await customerIn('Quiet customer');
    expect((await report('tickets/daily', `&from=2026-03-02&to=2026-03-02&customerId=${other.id}`))).toMatchObject({ breaches: [{ total: 0 }], queueDepth: [{ day: '2026-03-02', ...tiers(0, 0, 0) }] });
    // Without a range: the last 30 days up to today.
    const recent = await report('tickets/daily');
    expect(recent.queueDepth).toHaveLength(30);
    expect(recent.queueDepth[29].day).toBe(dayOf(Date.now()));
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
    // O5: credit 11 × 100.00 = 1 100.00 beyond Small's limit of 1 000.00: held for finance, never invoiced.
    const o5 = await o.order({ customerId: small.id, lines: [{ sku: p100.sku, qty: 11 }], paymentTerms: 'credit' });
    await Promise.all([o.reaches(o1.id, 'completed'), o.reaches(o2.id, 'completed'), o.reaches(o3.id, 'cancelled'), o.reaches(o4.id, 'fulfilling'), o.reaches(o5.id, 'credit_hold')]);
    // Cycle times a real run would need hours for: 2 hours (O1) and 1 day (O2).
    const db = h.database.db;
    await db.execute(sql`update orders set closed_at = created_at + interval '2 hours' where id = ${o1.id}`);
    await db.execute(sql`update orders set closed_at = created_at + interval '1 day' where id = ${o2.id}`);

    expect(await report('orders')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      total: 5,
      byStatus: {
        ...zeros(['received', 'priced', 'credit_hold', 'reserved', 'backordered', 'awaiting_payment', 'fulfilling', 'provisioning', 'shipped', 'delivered', 'activated', 'invoiced', 'completed', 'cancelled']),
        completed: 2, cancelled: 1, fulfilling: 1, credit_hold: 1,
      },
      // 7 200 s and 86 400 s: p50 = the midpoint, p90 = 7 200 + 0.9 × 79 200.
      cycleTime: { count: 2, p50Seconds: 46_800, p90Seconds: 78_480 },
      cancellationRate: 0.2,
      revenue: '120.00', // O1 + O2
      creditHolds: { orders: 1, value: '1100.00' }, // O5
    });
    expect((await report('orders', `&customerId=${middle.id}`)).total).toBe(0);

    // Invoices of the other two customers (contract billing in real life), issued today: a void one never counts.
    const dueOn = dayOf(Date.now() + 30 * DAY);
    await rows.invoice(middle.id, { amount: '25.00', dueOn });
    await rows.invoice(small.id, { amount: '5.00', dueOn });
    await rows.invoice(small.id, { amount: '1000.00', dueOn, status: 'void' });

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

describe('contract report', () => {
  it('sums active value, contracts expiring within 30/60/90 days, consumption and the renewal rate', async () => {
    const customer = await customerIn('Contract customer', '1000000.00');
    const activeUntil = (days: number, targetValue: string) => c.active({ customerId: customer.id, targetValue, validTo: c.inMs(days * DAY) });
    const [a20, a45, a80, a200] = [await activeUntil(20, '10000.00'), await activeUntil(45, '20000.00'), await activeUntil(80, '30000.00'), await activeUntil(200, '40000.00')];
    await c.draft({ customerId: customer.id, targetValue: '5000.00' });
    // One contract renewed (a second term), one that ran out: one of the two terms that ended was renewed.
    await c.act('contract_admin', a200.id, 'renew', { months: 12 });
    const shortLived = await activeUntil(0.00005, '7000.00'); // about 4 s
    await c.status(shortLived.id, 'expired');
    // Call-offs (no order process writes them yet): 2 500.00 fulfilled on a20, 1 000.00 reserved on a45, a released one on a80.
    await Promise.all([rows.callOff(a20, 'consumed', '2500.00'), rows.callOff(a45, 'reserved', '1000.00'), rows.callOff(a80, 'released', '3000.00')]);

    expect(await report('contracts')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      // The pipeline: the renewed a200 is active in its second term.
      byStatus: {
        ...Object.fromEntries(['pending_approval', 'approved', 'signed', 'terminated', 'completed'].map((s) => [s, { contracts: 0, value: '0.00' }])),
        draft: { contracts: 1, value: '5000.00' }, active: { contracts: 4, value: '100000.00' }, expired: { contracts: 1, value: '7000.00' },
      },
      active: { contracts: 4, value: '100000.00' },
      expiring: {
        within30Days: { contracts: 1, value: '10000.00' },
        within60Days: { contracts: 2, value: '30000.00' },
        within90Days: { contracts: 3, value: '60000.00' },
      },
      consumption: { target: '100000.00', consumed: '2500.00', reserved: '1000.00', remaining: '96500.00', rate: 0.025 },
      renewalRate: 0.5,
      retention: { requests: 0, retained: 0, lost: 0, open: 0, rate: null },
    });
    expect((await report('contracts', '&to=2020-01-01')).active).toEqual({ contracts: 0, value: '0.00' });
  });
});

describe('receivables report', () => {
  it('ages open invoices by days overdue and adds their late fees as of the day asked for', async () => {
    const customer = await customerIn('Debtor');
    const invoice = (amount: string, dueOn: string, more: { issuedOn?: string; paidAmount?: string; status?: 'paid' | 'void' } = {}) =>
      rows.invoice(customer.id, { amount, dueOn, ...more });
    await invoice('120.00', '2026-06-21'); // 9 days: fee 120.00 × 9 × 0.3 % = 3.24
    await invoice('200.00', '2026-06-30'); // due on the day: 0 days, no fee
    await invoice('100.00', '2026-05-16'); // 45 days: 13.50
    await invoice('1000.00', '2026-04-15'); // 76 days: 228.00
    await invoice('500.00', '2026-01-31', { issuedOn: '2026-01-01', paidAmount: '100.00' }); // 150 days, 90 charged on 400.00 unpaid: 108.00
    await invoice('50.00', '2025-02-09', { issuedOn: '2025-01-10' }); // 506 days, 90 charged: 13.50
    await invoice('70.00', '2026-01-31', { status: 'paid', paidAmount: '70.00' });
    await invoice('80.00', '2026-01-31', { status: 'void' });

    expect(await report('receivables', '&asOf=2026-06-30')).toEqual({
      scope: { from: null, to: null, region, customerId: null },
      asOf: '2026-06-30',
      buckets: {
        '0-30': { invoices: 2, outstanding: '320.00', lateFees: '3.24', total: '323.24' },
        '31-60': { invoices: 1, outstanding: '100.00', lateFees: '13.50', total: '113.50' },
        '61-90': { invoices: 1, outstanding: '1000.00', lateFees: '228.00', total: '1228.00' },
        '>90': { invoices: 2, outstanding: '450.00', lateFees: '121.50', total: '571.50' },
      },
      total: { invoices: 6, outstanding: '1870.00', lateFees: '366.24', total: '2236.24' },
    });
    // Issued from 2026 on: the invoice of 2025 drops out.
    const from2026 = await report('receivables', '&asOf=2026-06-30&from=2026-01-01');
    expect(from2026.buckets['>90']).toEqual({ invoices: 1, outstanding: '400.00', lateFees: '108.00', total: '508.00' });
    expect(from2026.total).toEqual({ invoices: 5, outstanding: '1820.00', lateFees: '352.74', total: '2172.74' });
    expect((await report('receivables')).asOf).toBe(dayOf(Date.now()));
  });
});
