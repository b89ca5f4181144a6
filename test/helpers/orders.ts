import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { invoices, orders, payments, products } from '../../db/schema';
import type { Role } from '../../domain/roles';
import type { Harness } from './harness';
import { uniq } from './harness';
import { setUpCustomer } from './customers';

/** Drives the order API the way people do; every call asserts its expected status. */
export function orderDriver(h: Harness) {
  async function call(role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, expected = 200) {
    const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth, payload });
    expect(res.statusCode, `${method} ${url} as ${role}: ${res.body}`).toBe(expected);
    return res.json();
  }
  const db = h.database.db;
  return {
    call,
    settings(values: Record<string, string | number>) {
      return call('admin', 'PUT', '/settings', values);
    },
    async customer(creditLimit = '1000.00') {
      return setUpCustomer(h, { creditLimit });
    },
    async product(options: { kind?: 'goods' | 'service'; stock?: number; listPrice?: string } = {}) {
      const kind = options.kind ?? 'goods';
      const body = { sku: `SKU-${uniq()}`, name: 'Test product', kind, listPrice: options.listPrice ?? '10.00', ...(kind === 'goods' ? { stock: options.stock ?? 10 } : {}) };
      return call('admin', 'POST', '/products', body, 201);
    },
    order(body: Record<string, unknown>, expected = 201) {
      return call('agent', 'POST', '/orders', body, expected);
    },
    act(role: Role, id: string, action: string, body: object = {}, expected = 200) {
      return call(role, 'POST', `/orders/${id}/${action}`, body, expected);
    },
    get(id: string) {
      return call('manager', 'GET', `/orders/${id}`);
    },
    /** The order row once it reaches `status` (or one of them): the workflow writes it a moment after deciding. */
    async reaches(id: string, status: string | string[], timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      const wanted = Array.isArray(status) ? status : [status];
      for (;;) {
        const [row] = await db.select().from(orders).where(eq(orders.id, id));
        if (row && wanted.includes(row.status)) return row;
        if (Date.now() > until) throw new Error(`order ${id} is ${row?.status ?? 'missing'}, expected ${wanted.join(' or ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stock(sku: string) {
      const [row] = await db.select({ onHand: products.stockOnHand, reserved: products.stockReserved }).from(products).where(eq(products.sku, sku));
      return row!;
    },
    async paymentsOf(orderId: string) {
      return db.select({ id: payments.id, status: payments.status, amount: payments.amount }).from(payments).where(eq(payments.orderId, orderId));
    },
    async invoicesOf(orderId: string) {
      return db.select({ id: invoices.id, status: invoices.status, amount: invoices.amount, issuedOn: invoices.issuedOn, dueOn: invoices.dueOn }).from(invoices).where(eq(invoices.orderId, orderId));
    },
  };
}
