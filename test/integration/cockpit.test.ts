import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../../domain/dates';
import { processDrivers, type ProcessDrivers } from '../helpers/drivers';
import { startHarness, type Harness } from '../helpers/harness';

let h: Harness;
let t: ProcessDrivers['t'], o: ProcessDrivers['o'], c: ProcessDrivers['c'], rows: ProcessDrivers['rows'];

beforeAll(async () => {
  h = await startHarness({ worker: true });
  ({ t, o, c, rows } = processDrivers(h));
});
afterAll(async () => { await h?.close(); });

const ids = (items: Array<{ id: string }>) => items.map((x) => x.id);

describe('customer cockpit', () => {
  it('shows open tickets and orders, running contracts with what remains, and open invoices with late fees as of today', async () => {
    const customer = await t.customer();
    // Tickets: one open, one closed.
    const openTicket = await t.open({ customerId: customer.id });
    const done = await t.open({ customerId: customer.id, category: 'consultation' });
    await t.act('agent', done.id, 'resolve', { resolution: 'ok' });
    await t.act('agent', done.id, 'confirm', { satisfaction: 3 });
    // Orders: one waiting for its shipment, one cancelled.
    const product = await o.product();
    const order = () => o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'cod' });
    const [openOrder, cancelled] = [await order(), await order()];
    await o.reaches(cancelled.id, 'fulfilling');
    await o.act('agent', cancelled.id, 'cancel', { reason: 'twice' });
    await Promise.all([o.reaches(openOrder.id, 'fulfilling'), o.reaches(cancelled.id, 'cancelled')]);
    // Contracts: an active one drawn down by 1 000.00 fulfilled and 500.00 reserved (call-off rows written
    // directly: orders cannot call off contracts yet), and a draft.
    const active = await c.active({ customerId: customer.id, targetValue: '50000.00' });
    const draft = await c.draft({ customerId: customer.id, targetValue: '20000.00' });
    await Promise.all([rows.callOff(active, 'consumed', '1000.00'), rows.callOff(active, 'reserved', '500.00'), rows.callOff(active, 'released', '700.00')]);
    // Invoices: 120.00 due 9 days ago (fee 120.00 × 9 × 0.3 % = 3.24), 50.00 not yet due with 20.00 paid,
    // and a paid and a void one that owe nothing.
    const today = dayOf(Date.now());
    const overdue = await rows.invoice(customer.id, { amount: '120.00', dueOn: addDays(today, -9) });
    const partlyPaid = await rows.invoice(customer.id, { amount: '50.00', dueOn: addDays(today, 5), paidAmount: '20.00' });
    await rows.invoice(customer.id, { amount: '80.00', dueOn: addDays(today, -40), status: 'paid', paidAmount: '80.00' });
    await rows.invoice(customer.id, { amount: '90.00', dueOn: addDays(today, -40), status: 'void' });

    const overview = await t.call('manager', 'GET', `/customers/${customer.id}/overview`);
    expect(overview.customer.id).toBe(customer.id);
    expect(ids(overview.openTickets)).toEqual([openTicket.id]);
    expect(ids(overview.openOrders)).toEqual([openOrder.id]);
    expect(overview.openOrders[0]).toMatchObject({ status: 'fulfilling', total: '10.00', paymentTerms: 'cod' });
    expect(overview.contracts).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: active.id, status: 'active', targetValue: '50000.00', consumed: '1000.00', reserved: '500.00', remaining: '48500.00' }),
      expect.objectContaining({ id: draft.id, status: 'draft', targetValue: '20000.00', consumed: '0.00', reserved: '0.00', remaining: '20000.00' }),
    ]));
    expect(overview.contracts).toHaveLength(2);
    expect(overview.openInvoices.map((i: { id: string; daysOverdue: number; lateFee: string; amountDue: string }) => [i.id, i.daysOverdue, i.lateFee, i.amountDue]))
      .toEqual([[overdue, 9, '3.24', '123.24'], [partlyPaid, 0, '0.00', '30.00']]);
    const empty = { invoices: 0, outstanding: '0.00', lateFees: '0.00', total: '0.00' };
    expect(overview.receivables).toEqual({
      asOf: today, invoices: 2, outstanding: '150.00', lateFees: '3.24', total: '153.24',
      buckets: { '0-30': { invoices: 2, outstanding: '150.00', lateFees: '3.24', total: '153.24' }, '31-60': empty, '61-90': empty, '>90': empty },
    });
    // The invoice list as of a later day (the Finance page): 19 days overdue, 120.00 × 19 × 0.3 % = 6.84; the
    // partly paid one 5 days overdue on its 30.00 unpaid, 0.45; both overdue on that day, only one today.
    const later = addDays(today, 10);
    const asOf = await t.call('finance', 'GET', `/invoices?customerId=${customer.id}&status=open&overdue=true&asOf=${later}`);
    expect(asOf.items.map((i: { id: string; asOf: string; daysOverdue: number; lateFee: string; amountDue: string }) => [i.id, i.asOf, i.daysOverdue, i.lateFee, i.amountDue]))
      .toEqual([[partlyPaid, later, 5, '0.45', '30.45'], [overdue, later, 19, '6.84', '126.84']]);
    expect(ids((await t.call('finance', 'GET', `/invoices?customerId=${customer.id}&overdue=true`)).items)).toEqual([overdue]);
    // ABC over the last 365 days: invoiced 120.00 + 50.00 + 80.00 (the void one does not count; the COD order is not
    // paid yet), and the class the ABC report gives this customer among all customers over the same days.
    const from = addDays(today, -364);
    const abc = await t.call('manager', 'GET', `/reports/customers/abc?from=${from}&to=${today}`);
    const ranked = abc.customers.find((row: { customerId: string }) => row.customerId === customer.id);
    expect(ranked).toMatchObject({ revenue: '250.00' });
    expect(overview.abc).toEqual({ from, to: today, class: ranked.class, revenue: '250.00', share: ranked.share });
    // A customer without revenue has no class.
    const quiet = await t.customer();
    expect((await t.call('agent', 'GET', `/customers/${quiet.id}/overview`)).abc).toEqual({ from, to: today, class: null, revenue: '0.00', share: null });

    await t.call('manager', 'GET', '/customers/CUS-404/overview', undefined, 404);
  });
});
