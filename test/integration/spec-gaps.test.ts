import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { contractDriver } from '../helpers/contracts';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';

// Issue 17, points 7 and 11: gaps between the code and SPEC §2, §5 and §7, each pinned by the API's answer.
// A database of its own: one test turns order.creditRequiresContract on, which no other file may see.

let fresh: FreshDatabase;
let h: Harness;
beforeAll(async () => {
  fresh = await freshDatabase();
  h = await startHarness({
    worker: true, queues: ['orders', 'contracts', 'notifications'],
    env: { DATABASE_URL: fresh.url, CRM_CONTRACT_PREFIX_VALUE: 'VC', CRM_CONTRACT_PREFIX_QUANTITY: 'QC' },
  });
});
afterAll(async () => {
  await h?.close();
  await fresh?.drop();
});

const get = (url: string, role: keyof Harness['users'] = 'agent') => h.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: h.users[role].auth });

describe('every resource can be read (SPEC §2)', () => {
  it('lists and shows payments with their allocations: an invoice settled, the rest unallocated', async () => {
    const o = orderDriver(h);
    const customer = await o.customer();
    const product = await o.product({ stock: 5, listPrice: '10.00' });
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 2 }], paymentTerms: 'credit' });
    await o.reaches(order.id, 'fulfilling');
    await o.act('fulfilment', order.id, 'shipments', { carrier: 'DHL', trackingNo: `TRK-${uniq()}` });
    await o.act('fulfilment', order.id, 'delivered', {});
    await o.reaches(order.id, 'completed');
    const [invoice] = await o.invoicesOf(order.id);
    expect(invoice).toMatchObject({ amount: '20.00', status: 'open' });

    const paid = await o.call('finance', 'POST', '/payments', { customerId: customer.id, amount: '25.00', reference: 'BANK-7', receivedAt: invoice!.issuedOn }, 201);
    const expected = {
      id: paid.id, status: 'received', customerId: customer.id, orderId: null, amount: '25.00', reference: 'BANK-7',
      receivedAt: `${invoice!.issuedOn}T00:00:00.000Z`, refundedAt: null, recordedBy: h.users.finance.id,
      allocations: [{ invoiceId: invoice!.id, amount: '20.00', lateFee: '0.00' }], unallocated: '5.00',
    };
    const one = await get(`/payments/${paid.id}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ ...expected, createdAt: expect.any(String) });
    const list = (await get(`/payments?customerId=${customer.id}`, 'manager')).json();
    expect(list).toEqual({ items: [{ ...expected, createdAt: one.json().createdAt }], nextCursor: null });
    expect((await get(`/payments?customerId=${customer.id}&status=refunded`)).json()).toEqual({ items: [], nextCursor: null });
    expect((await get('/payments/PAY-000000')).statusCode).toBe(404);
  });

  it('shows one promotion', async () => {
    const o = orderDriver(h);
    const product = await o.product();
    const today = dayOf(Date.now());
    const created = await o.call('admin', 'POST', '/promotions', { sku: product.sku, percentOff: 12.5, validFrom: today, validTo: '2999-12-31' }, 201);
    const res = await get(`/promotions/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: created.id, status: 'active', sku: product.sku, percentOff: '12.50', validFrom: today, validTo: '2999-12-31' });
    expect((await get('/promotions/PRM-000000')).statusCode).toBe(404);
  });
});

describe('validation answers (SPEC §2)', () => {
  it('refuses whitespace-only text and writes nothing', async () => {
    const customer = await orderDriver(h).customer();
    const res = await h.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: h.users.agent.auth,
      payload: { customerId: customer.id, channel: 'phone', category: 'fault', priority: 'low', subject: '   ', description: '\n\t' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '/subject', message: 'must not be empty or only white space' },
      { path: '/description', message: 'must not be empty or only white space' },
    ]);
    expect(await h.database.db.select().from(tickets).where(eq(tickets.customerId, customer.id))).toEqual([]);
  });

  it('names the allowed values of a union of words once', async () => {
    const customer = await orderDriver(h).customer();
    const res = await h.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: h.users.agent.auth,
      payload: { customerId: customer.id, channel: 'pigeon', category: 'fault', priority: 'asap', subject: 'Line down', description: 'No dial tone' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      status: 400, detail: 'the body is invalid',
      errors: [
        { path: '/channel', message: 'must be one of phone, email, web, walk_in, social' },
        { path: '/priority', message: 'must be one of low, normal, high, urgent' },
      ],
    });
    const query = await get('/tickets?priority=soon', 'manager');
    expect(query.json().errors).toEqual([{ path: '/querystring/priority', message: 'must be one of low, normal, high, urgent' }]);
  });
});

describe('finance, credit terms and contract numbers (SPEC §2, §5, §7)', () => {
  it('lets finance read the receivables report, and not the other reports', async () => {
    const res = await get('/reports/receivables', 'finance');
    expect(res.statusCode, res.body).toBe(200);
    expect((await get('/reports/tickets', 'finance')).statusCode).toBe(403);
    expect((await get('/reports/receivables', 'agent')).statusCode).toBe(403);
  });

  it('takes a credit order without a contract by default, and refuses it (422) once order.creditRequiresContract is on', async () => {
    const o = orderDriver(h);
    const c = contractDriver(h);
    const customer = await o.customer('1000.00');
    const product = await o.product({ stock: 20, listPrice: '10.00' });
    const line = [{ sku: product.sku, qty: 1 }];
    expect((await o.call('admin', 'GET', '/settings'))['order.creditRequiresContract']).toBe(false);
    await o.order({ customerId: customer.id, lines: line, paymentTerms: 'credit' });

    await o.settings({ 'order.creditRequiresContract': true } as never);
    const refused = await o.order({ customerId: customer.id, lines: line, paymentTerms: 'credit' }, 422);
    expect(refused).toMatchObject({
      status: 422, detail: "credit terms need a contract (order.creditRequiresContract): order against the customer's contract, or on prepaid or cod terms",
      errors: [{ path: '/contractId', message: 'required for credit terms' }],
    });
    await o.order({ customerId: customer.id, lines: line, paymentTerms: 'prepaid' });
    await o.order({ customerId: customer.id, lines: line, paymentTerms: 'cod' });
    const contract = await c.active({ customerId: customer.id, targetValue: '500.00' });
    const callOff = await o.order({ customerId: customer.id, contractId: contract.id, lines: line, paymentTerms: 'credit' });
    expect(callOff).toMatchObject({ contractId: contract.id, paymentTerms: 'credit' });
    await o.settings({ 'order.creditRequiresContract': false } as never);
  });

  it('numbers contracts with the prefix of their type', async () => {
    const c = contractDriver(h);
    const product = await c.product('4.00');
    const value = await c.draft();
    const quantity = await c.draft({ type: 'quantity', targetValue: undefined, targetQuantities: [{ sku: product.sku, qty: 10 }] });
    expect(value.id).toMatch(/^VC-\d{4}-\d{6}$/);
    expect(quantity.id).toMatch(/^QC-\d{4}-\d{6}$/);
    expect(await h.client.workflow.getHandle(`contract-${quantity.id}`).describe()).toMatchObject({ workflowId: `contract-${quantity.id}`, type: 'contractWorkflow' });
    expect((await c.get(value.id)).id).toBe(value.id);
  });
});
