import { expect } from 'vitest';
import type { Role } from '../../domain/roles';
import type { Harness } from './harness';
import { uniq } from './harness';
import { setUpCustomer } from './customers';
import { eventually } from './wait';

/** Drives the contract, invoice and payment API the way people do; every call asserts its expected status. */
export function contractDriver(h: Harness) {
  async function call(role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, expected = 200, headers: Record<string, string> = {}) {
    const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: { ...h.users[role].auth, ...headers }, payload });
    expect(res.statusCode, `${method} ${url} as ${role}: ${res.body}`).toBe(expected);
    return res.json();
  }
  /** An instant `ms` from now as an ISO date-time (contracts accept date-times for second-scale tests). */
  const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
  return {
    call,
    inMs,
    async customer() {
      return setUpCustomer(h, { tier: 'key', creditLimit: '1000000.00' });
    },
    async product(listPrice: string) {
      return call('admin', 'POST', '/products', { sku: `SKU-${uniq()}`, name: 'Widget', kind: 'goods', listPrice, stock: 1000 }, 201);
    },
    async draft(overrides: Record<string, unknown> = {}) {
      const customerId = (overrides.customerId as string) ?? (await this.customer()).id;
      return call('agent', 'POST', '/contracts', { customerId, type: 'value', targetValue: '50000.00', validFrom: '2026-01-01', validTo: '2027-12-31', ...overrides }, 201);
    },
    act(role: Role, id: string, action: string, body: object = {}, expected = 200) {
      return call(role, 'POST', `/contracts/${id}/${action}`, body, expected);
    },
    get(id: string, role: Role = 'manager') {
      return call(role, 'GET', `/contracts/${id}`);
    },
    /** Submits and walks the whole approval chain; returns the approved view. */
    async approve(id: string) {
      let view = await this.act('agent', id, 'submit');
      while (view.approval) view = await this.act(view.approval.awaiting, id, 'approve', { comment: 'ok' });
      return view;
    },
    /** An active contract: drafted, approved, signed, valid since yesterday. */
    async active(overrides: Record<string, unknown> = {}) {
      const draft = await this.draft({ validFrom: inMs(-86_400_000), ...overrides });
      await this.approve(draft.id);
      const signed = await this.act('contract_admin', draft.id, 'sign');
      expect(signed.status).toBe('active');
      return signed;
    },
    status(id: string, status: string, timeoutMs = 20_000) {
      return eventually(() => this.get(id), (c) => c.status === status, { timeoutMs });
    },
  };
}
