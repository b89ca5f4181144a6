import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../domain/settings';
import { startHarness, uniq, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('customers', () => {
  it('creates, reads, updates and lists customers with contacts, filtered and paged', async () => {
    const region = `r-${uniq()}`;
    const created = [];
    for (const tier of ['vip', 'key', 'standard', 'vip'] as const) {
      // Tiers other than standard are a supervisor's (or sales manager's) call.
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: h.users.supervisor.auth, payload: { name: `Acme ${tier} ${uniq()}`, kind: 'enterprise', tier, region, creditLimit: '1000.00', contacts: [{ name: 'Kim', phone: '+49 30 123' }] } });
      expect(res.statusCode).toBe(201);
      created.push(res.json());
    }
    expect(created[0]).toMatchObject({ status: 'active', tier: 'vip', creditLimit: '1000.00', contacts: [{ name: 'Kim', phone: '+49 30 123', email: null }] });

    const got = await h.app.inject({ method: 'GET', url: `/api/v1/customers/${created[0].id}`, headers: h.users.manager.auth });
    expect(got.json()).toEqual(created[0]);

    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/customers/${created[0].id}`, headers: h.users.agent.auth, payload: { contacts: [] } });
    expect(patched.json()).toMatchObject({ creditLimit: '1000.00', contacts: [] });
    const raised = await h.app.inject({ method: 'PATCH', url: `/api/v1/customers/${created[0].id}`, headers: h.users.finance.auth, payload: { creditLimit: '2500.50', reason: 'new bank guarantee' } });
    expect(raised.json()).toMatchObject({ creditLimit: '2500.50', contacts: [] });

    const vips = await h.app.inject({ method: 'GET', url: `/api/v1/customers?region=${region}&tier=vip`, headers: h.users.agent.auth });
    expect(vips.json().items.map((c: { id: string }) => c.id)).toEqual([created[0].id, created[3].id]);

    const page1 = (await h.app.inject({ method: 'GET', url: `/api/v1/customers?region=${region}&limit=3`, headers: h.users.agent.auth })).json();
    expect(page1.items).toHaveLength(3);
    const page2 = (await h.app.inject({ method: 'GET', url: `/api/v1/customers?region=${region}&limit=3&cursor=${page1.nextCursor}`, headers: h.users.agent.auth })).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ id: created[3].id })], nextCursor: null });
  });

  it('sets customer-specific prices for known products only', async () => {
    const customer = (await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: h.users.agent.auth, payload: { name: `P ${uniq()}`, kind: 'individual', tier: 'standard', creditLimit: '0.00' } })).json();
    const sku = `SKU-${uniq()}`;
    await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: h.users.admin.auth, payload: { sku, name: 'Widget', kind: 'goods', listPrice: '10.00', stock: 5 } });
    const price = await h.app.inject({ method: 'PUT', url: `/api/v1/customers/${customer.id}/prices/${sku}`, headers: h.users.sales_manager.auth, payload: { unitPrice: '8.50' } });
    expect(price.json()).toMatchObject({ customerId: customer.id, sku, unitPrice: '8.50' });
    const again = await h.app.inject({ method: 'PUT', url: `/api/v1/customers/${customer.id}/prices/${sku}`, headers: h.users.sales_manager.auth, payload: { unitPrice: '8.00' } });
    expect(again.json().unitPrice).toBe('8.00');
    const list = await h.app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/prices`, headers: h.users.agent.auth });
    expect(list.json()).toEqual([expect.objectContaining({ sku, unitPrice: '8.00' })]);
    const unknown = await h.app.inject({ method: 'PUT', url: `/api/v1/customers/${customer.id}/prices/NOPE-${uniq()}`, headers: h.users.admin.auth, payload: { unitPrice: '1.00' } });
    expect(unknown.statusCode).toBe(404);
    const agent = await h.app.inject({ method: 'PUT', url: `/api/v1/customers/${customer.id}/prices/${sku}`, headers: h.users.agent.auth, payload: { unitPrice: '1.00' } });
    expect(agent.statusCode).toBe(403);
  });
});

describe('products and promotions', () => {
  it('creates goods with stock and services without, refuses duplicates', async () => {
    const sku = `G-${uniq()}`;
    const goods = await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: h.users.admin.auth, payload: { sku, name: 'Router', kind: 'goods', listPrice: '129.00', stock: 20 } });
    expect(goods.json()).toMatchObject({ sku, stockOnHand: 20, stockReserved: 0, stockAvailable: 20 });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: h.users.admin.auth, payload: { sku, name: 'Again', kind: 'goods', listPrice: '1.00' } })).statusCode).toBe(409);
    const service = await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: h.users.admin.auth, payload: { sku: `S-${uniq()}`, name: 'Fibre', kind: 'service', listPrice: '49.00', stock: 3 } });
    expect(service.statusCode).toBe(400);
    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/products/${sku}`, headers: h.users.admin.auth, payload: { listPrice: '119.00' } });
    expect(patched.json().listPrice).toBe('119.00');
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/products/${sku}`, headers: h.users.agent.auth })).json().listPrice).toBe('119.00');
  });

  it('records promotions with a validity window', async () => {
    const sku = `G-${uniq()}`;
    await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: h.users.admin.auth, payload: { sku, name: 'Cable', kind: 'goods', listPrice: '9.90' } });
    const promo = await h.app.inject({ method: 'POST', url: '/api/v1/promotions', headers: h.users.admin.auth, payload: { sku, percentOff: 12.5, validFrom: '2020-01-01', validTo: '2099-12-31' } });
    expect(promo.json()).toMatchObject({ sku, percentOff: '12.50', status: 'active' });
    const backwards = await h.app.inject({ method: 'POST', url: '/api/v1/promotions', headers: h.users.admin.auth, payload: { percentOff: 5, validFrom: '2030-01-02', validTo: '2030-01-01' } });
    expect(backwards.statusCode).toBe(400);
    const impossible = await h.app.inject({ method: 'POST', url: '/api/v1/promotions', headers: h.users.admin.auth, payload: { percentOff: 5, validFrom: '2030-02-30', validTo: '2030-03-01' } });
    expect(impossible.statusCode).toBe(400);
    const listed = await h.app.inject({ method: 'GET', url: `/api/v1/promotions?sku=${sku}`, headers: h.users.agent.auth });
    expect(listed.json().items).toHaveLength(1);
    // What can price the sku: its own promotion and those covering every product, never another sku's.
    const other = `G-${uniq()}`;
    await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: h.users.admin.auth, payload: { sku: other, name: 'Plug', kind: 'goods', listPrice: '1.00' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/promotions', headers: h.users.admin.auth, payload: { sku: other, percentOff: 3, validFrom: '2020-01-01', validTo: '2099-12-31' } });
    const everything = await h.app.inject({ method: 'POST', url: '/api/v1/promotions', headers: h.users.admin.auth, payload: { percentOff: 1, validFrom: '2020-01-01', validTo: '2020-01-31' } });
    const applying = (await h.app.inject({ method: 'GET', url: `/api/v1/promotions?appliesTo=${sku}&limit=200`, headers: h.users.agent.auth })).json().items;
    expect(applying.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([promo.json().id, everything.json().id]));
    expect(applying.every((p: { sku: string | null }) => p.sku === sku || p.sku === null)).toBe(true);
  });
});

describe('settings', () => {
  it('returns every configurable value and applies a partial update atomically', async () => {
    const current = (await h.app.inject({ method: 'GET', url: '/api/v1/settings', headers: h.users.admin.auth })).json();
    expect(Object.keys(current).sort()).toEqual(Object.keys(defaultSettings()).sort());

    const bad = await h.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: h.users.admin.auth, payload: { 'order.invoiceDueDays': 45, 'sla.urgent.response': 'soon', 'no.such': 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['/no.such', '/sla.urgent.response']);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/settings', headers: h.users.admin.auth })).json()['order.invoiceDueDays']).toBe(current['order.invoiceDueDays']);

    const missingCalendar = await h.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: h.users.admin.auth, payload: { 'sla.calendar': `cal-${uniq()}` } });
    expect(missingCalendar.statusCode).toBe(422);
  });
});
