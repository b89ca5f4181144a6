import { expect } from 'vitest';
import { addUsers, uniq, type Harness } from './harness';

export interface CustomerSpec {
  name?: string;
  kind?: 'individual' | 'enterprise';
  tier?: 'vip' | 'key' | 'standard';
  region?: string;
  creditLimit?: string;
  contacts?: Array<{ name: string; phone?: string; email?: string }>;
}

const secondFinance = new WeakMap<Harness, Promise<{ id: string; auth: { authorization: string } }>>();

/** A second finance user of the harness, the one who approves the first one's credit-limit raises. */
export function financeColleague(h: Harness) {
  let colleague = secondFinance.get(h);
  if (!colleague) {
    colleague = addUsers(h, 'finance', 1).then(([user]) => user!);
    secondFinance.set(h, colleague);
  }
  return colleague;
}

/**
 * A customer as the company would set one up under issue 20's rules: an agent registers a standard
 * customer (a supervisor when the tier is vip or key) within credit.defaultLimit, and finance gives a
 * higher limit with a reason, a second finance user approving a raise above credit.selfServiceLimit.
 */
export async function setUpCustomer(h: Harness, spec: CustomerSpec = {}): Promise<{ id: string; tier: string; creditLimit: string } & Record<string, unknown>> {
  const { creditLimit = '1000.00', tier = 'standard', ...rest } = spec;
  const creator = tier === 'standard' ? h.users.agent : h.users.supervisor;
  const settings = (await h.app.inject({ method: 'GET', url: '/api/v1/settings', headers: h.users.admin.auth })).json() as Record<string, string>;
  const opening = Number(creditLimit) <= Number(settings['credit.defaultLimit']) ? creditLimit : '0.00';
  const created = await h.app.inject({
    method: 'POST', url: '/api/v1/customers', headers: creator.auth,
    payload: { name: `Customer ${uniq()}`, kind: 'enterprise', ...rest, tier, creditLimit: opening },
  });
  expect(created.statusCode, created.body).toBe(201);
  const customer = created.json();
  if (opening === creditLimit) return customer;
  const raised = await h.app.inject({
    method: 'PATCH', url: `/api/v1/customers/${customer.id}`, headers: h.users.finance.auth, payload: { creditLimit, reason: 'test set-up' },
  });
  expect([200, 202], raised.body).toContain(raised.statusCode);
  if (raised.statusCode === 200) return raised.json();
  const colleague = await financeColleague(h);
  const approved = await h.app.inject({
    method: 'POST', url: `/api/v1/customers/${customer.id}/credit-limit-requests/${raised.json().creditLimitRequest.id}/approve`, headers: colleague.auth, payload: {},
  });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json().customer;
}

/** A standard customer with one contact who has an e-mail address (unique per call), in English unless told. */
export async function customerWithContact(h: Harness, language?: 'de'): Promise<{ customerId: string; email: string }> {
  const email = `contact-${uniq()}@customer.test`;
  const customer = await setUpCustomer(h, { contacts: [{ name: 'Carla Customer', email }] });
  if (language) {
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/customers/${customer.id}`, headers: h.users.agent.auth, payload: { language } });
    expect(res.statusCode, res.body).toBe(200);
  }
  return { customerId: customer.id, email };
}
