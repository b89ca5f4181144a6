import { expect } from 'vitest';
import type { Role } from '../../domain/roles';
import type { Harness } from './harness';
import { setUpCustomer } from './customers';

/** Drives the ticket API the way people do; every call asserts its expected status. */
export function ticketDriver(h: Harness) {
  async function call(role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, expected = 200) {
    const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth, payload });
    expect(res.statusCode, `${method} ${url} as ${role}: ${res.body}`).toBe(expected);
    return res.json();
  }
  return {
    call,
    async customer(tier: 'vip' | 'key' | 'standard' = 'standard') {
      return setUpCustomer(h, { tier });
    },
    async open(overrides: Record<string, unknown> = {}) {
      const customerId = (overrides.customerId as string) ?? (await this.customer()).id;
      return call('agent', 'POST', '/tickets', { customerId, channel: 'phone', category: 'fault', priority: 'low', subject: 'Line down', description: 'No dial tone since Monday', ...overrides }, 201);
    },
    act(role: Role, id: string, action: string, body: object = {}, expected = 200) {
      return call(role, 'POST', `/tickets/${id}/${action}`, body, expected);
    },
    get(id: string, role: Role = 'manager') {
      return call(role, 'GET', `/tickets/${id}`);
    },
  };
}
