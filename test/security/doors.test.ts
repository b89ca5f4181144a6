import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldAccess, type FieldBound } from '../../domain/field-access';
import { ROLES, type Role } from '../../domain/roles';
import { SETTING_KEYS } from '../../domain/settings';
import { startHarness, type Harness } from '../helpers/harness';

let h: Harness;
let limited: Harness;
const logLines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });
  h = await startHarness({ logger: { level: 'trace', stream } });
  limited = await startHarness({ env: { CRM_RATE_LIMIT_PER_MINUTE: '5', CRM_BODY_LIMIT: '2048', CRM_REQUEST_TIMEOUT_MS: '7000' } });
});
afterAll(async () => {
  await h?.close();
  await limited?.close();
});

const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => `no-such-${name}`);

describe('the authorisation matrix, generated from the route table', () => {
  it('declares access for every route', () => {
    expect(h.app.routeAccess.length).toBeGreaterThan(30);
    for (const route of h.app.routeAccess) expect(route.roles, `${route.method} ${route.url}`).toBeDefined();
  });

  it('refuses every protected route without a key or with a wrong key (401)', async () => {
    for (const route of h.app.routeAccess.filter((r) => r.roles !== 'public')) {
      for (const headers of [{}, { authorization: 'Bearer crm_k0123456789abcdef_0000000000000000000000000000000000000000000' }]) {
        const res = await h.app.inject({ method: route.method as 'GET', url: concrete(route.url), headers, payload: route.method === 'GET' ? undefined : {} });
        expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 401 });
      }
    }
  });

  it('gives every role outside a route 403 and lets every role inside it past the door', async () => {
    let checked = 0;
    for (const route of h.app.routeAccess.filter((r) => Array.isArray(r.roles))) {
      for (const role of ROLES) {
        const res = await h.app.inject({ method: route.method as 'GET', url: concrete(route.url), headers: h.users[role].auth, payload: route.method === 'GET' ? undefined : {} });
        const admitted = (route.roles as readonly string[]).includes(role);
        const outcome = admitted ? (res.statusCode === 401 || res.statusCode === 403 ? 'refused' : 'admitted') : res.statusCode === 403 ? 'refused' : `got ${res.statusCode}`;
        expect({ route: `${route.method} ${route.url}`, role, outcome }).toEqual({ route: `${route.method} ${route.url}`, role, outcome: admitted ? 'admitted' : 'refused' });
        expect(res.statusCode).toBeLessThan(500);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});

// Issue 17: the doors of the user administration, the audit log and the reads every resource has, as intended.
const ROUTE_POLICY: Record<string, readonly Role[] | 'authenticated'> = {
  'GET /api/v1/users/:id': ['admin', 'manager'],
  'PATCH /api/v1/users/:id': ['admin'],
  'POST /api/v1/users/:id/deactivate': ['admin'],
  'GET /api/v1/audit': ['admin', 'manager'],
  'GET /api/v1/settings/definitions': ['admin', 'manager', 'supervisor'],
  'GET /api/v1/payments': 'authenticated',
  'GET /api/v1/payments/:id': 'authenticated',
  'GET /api/v1/promotions/:id': 'authenticated',
  'GET /api/v1/reports/receivables': ['manager', 'supervisor', 'admin', 'finance'],
};

describe('the doors of user administration and the resource reads (issue 17)', () => {
  it('declares exactly the intended roles', () => {
    const sorted = (roles: unknown) => (Array.isArray(roles) ? [...roles].sort() : roles);
    for (const [route, roles] of Object.entries(ROUTE_POLICY)) {
      const declared = h.app.routeAccess.find((r) => `${r.method} ${r.url}` === route);
      expect({ route, roles: sorted(declared?.roles) }).toEqual({ route, roles: sorted(roles) });
    }
  });
});

// ---- the field dimension ----------------------------------------------------------------------------
// The intended policy, written by hand (issue 20): for every write route of customers, products, prices,
// contracts and settings, who may set each field. A field open to "the door" may be set by every role the
// route admits. The route table's declarations (app.routeAccess) must say exactly this.
type FieldPolicy = { any: readonly Role[] | 'door'; bound?: FieldBound };
const EDITORS: Role[] = ['agent', 'supervisor', 'admin'];
const door = { any: 'door' } as const;
const everyField = (fields: readonly string[], policy: FieldPolicy = door) => Object.fromEntries(fields.map((f) => [f, policy]));
const CONTRACT_FIELDS = ['customerId', 'type', 'externalRef', 'poDate', 'validFrom', 'validTo', 'targetValue', 'targetQuantities', 'prices', 'paymentTerms',
  'billing', 'autoRenew', 'renewalMonths', 'noticeDays', 'terms', 'salesOrg', 'channel', 'division', 'sla', 'coveredCategories'];
const POLICY: Record<string, { roles: readonly Role[]; fields: Record<string, FieldPolicy> }> = {
  'POST /api/v1/customers': {
    roles: EDITORS,
    fields: {
      ...everyField(['name', 'kind', 'region', 'language', 'contacts']),
      tier: { any: ['supervisor', 'sales_manager'], bound: { equals: 'standard' } },
      creditLimit: { any: ['finance'], bound: { atMostSetting: 'credit.defaultLimit' } },
    },
  },
  'PATCH /api/v1/customers/:id': {
    roles: [...EDITORS, 'sales_manager', 'finance'],
    fields: {
      ...everyField(['name', 'kind', 'region', 'language', 'contacts'], { any: EDITORS }),
      tier: { any: ['supervisor', 'sales_manager'] },
      creditLimit: { any: ['finance'] },
      reason: { any: ['finance'] },
    },
  },
  'POST /api/v1/customers/:id/credit-limit-requests/:requestId/approve': { roles: ['finance'], fields: everyField(['comment']) },
  'POST /api/v1/customers/:id/credit-limit-requests/:requestId/reject': { roles: ['finance'], fields: everyField(['comment']) },
  'PUT /api/v1/customers/:id/prices/:sku': { roles: ['admin', 'sales_manager'], fields: everyField(['unitPrice']) },
  'POST /api/v1/products': { roles: ['admin'], fields: everyField(['sku', 'name', 'kind', 'listPrice', 'stock']) },
  'PATCH /api/v1/products/:sku': { roles: ['admin'], fields: everyField(['name', 'listPrice']) },
  'POST /api/v1/products/:sku/restock': { roles: ['fulfilment', 'admin'], fields: everyField(['qty']) },
  'POST /api/v1/promotions': { roles: ['admin'], fields: everyField(['sku', 'percentOff', 'validFrom', 'validTo']) },
  'POST /api/v1/contracts': { roles: ['agent', 'sales_manager', 'contract_admin'], fields: everyField(CONTRACT_FIELDS) },
  'POST /api/v1/contracts/:id/approve': { roles: ['sales_manager', 'finance', 'legal'], fields: everyField(['comment']) },
  'POST /api/v1/contracts/:id/reject': { roles: ['sales_manager', 'finance', 'legal'], fields: everyField(['comment']) },
  'POST /api/v1/contracts/:id/sign': { roles: ['contract_admin'], fields: everyField(['signedAt']) },
  'POST /api/v1/contracts/:id/amend': { roles: ['contract_admin'], fields: everyField(['changes', 'reason']) },
  'POST /api/v1/contracts/:id/terminate': { roles: ['contract_admin'], fields: everyField(['reason', 'effectiveDate']) },
  'POST /api/v1/contracts/:id/renew': { roles: ['contract_admin'], fields: everyField(['months']) },
  'POST /api/v1/contracts/:id/termination-request': { roles: ['agent', 'contract_admin'], fields: everyField(['reason']) },
  'POST /api/v1/contracts/:id/retention-offer': { roles: ['agent', 'contract_admin'], fields: everyField(['discountPercent', 'months', 'alternative']) },
  'POST /api/v1/contracts/:id/retention-accept': { roles: ['agent', 'contract_admin'], fields: everyField(['note']) },
  'POST /api/v1/contracts/:id/retention-decline': { roles: ['agent', 'contract_admin'], fields: everyField(['note']) },
  'PUT /api/v1/settings': { roles: ['admin'], fields: everyField(SETTING_KEYS) },
};
const IN_SCOPE = /^\/api\/v1\/(customers|products|promotions|contracts|settings)\b/;

type Expected = 'any' | 'none' | { bound: FieldBound };
function intended(policy: FieldPolicy, role: Role): Expected {
  if (policy.any === 'door' || policy.any.includes(role)) return 'any';
  return policy.bound ? { bound: policy.bound } : 'none';
}
const SAMPLES: Record<string, { beyond: unknown; within: unknown }> = {
  equals: { beyond: 'vip', within: 'standard' },
  atMostSetting: { beyond: '999999999999.00', within: '0.00' },
};

describe('the authorisation matrix: every role × every mutable field, from the route table', () => {
  const writes = () => h.app.routeAccess.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && IN_SCOPE.test(r.url) && r.fields);

  it('declares exactly the intended policy for every field of customers, products, prices, contracts and settings', () => {
    const declared = Object.fromEntries(writes().map((r) => [`${r.method} ${r.url}`, r]));
    expect(Object.keys(declared).sort()).toEqual(Object.keys(POLICY).sort());
    let cells = 0;
    for (const [route, policy] of Object.entries(POLICY)) {
      const access = declared[route]!;
      expect({ route, roles: [...(access.roles as Role[])].sort() }).toEqual({ route, roles: [...policy.roles].sort() });
      expect({ route, fields: Object.keys(access.fields!).sort() }).toEqual({ route, fields: Object.keys(policy.fields).sort() });
      for (const [field, fieldPolicy] of Object.entries(policy.fields)) {
        for (const role of policy.roles) {
          expect({ route, field, role, may: fieldAccess(access.fields![field]!, [role]) }).toEqual({ route, field, role, may: intended(fieldPolicy, role) });
          cells++;
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
  });

  it('refuses a field a role may not set with 403 naming it, and lets every other field past to the body checks', async () => {
    for (const [route, policy] of Object.entries(POLICY)) {
      const [method, url] = route.split(' ') as [string, string];
      for (const role of policy.roles) {
        for (const [field, fieldPolicy] of Object.entries(policy.fields)) {
          const expected = intended(fieldPolicy, role);
          // An empty object fits no field's schema alone, so nothing admitted is ever written here.
          const tries: Array<{ value: unknown; refused: boolean }> = expected === 'any' ? [{ value: {}, refused: false }]
            : expected === 'none' ? [{ value: {}, refused: true }]
              : [{ value: SAMPLES[Object.keys(expected.bound)[0]!]!.beyond, refused: true }, { value: SAMPLES[Object.keys(expected.bound)[0]!]!.within, refused: false }];
          for (const attempt of tries) {
            const res = await h.app.inject({ method: method as 'POST', url: concrete(url), headers: h.users[role].auth, payload: { [field]: attempt.value } });
            const named = res.statusCode === 403 && (res.json().errors ?? []).some((e: { path: string }) => e.path === `/${field}`);
            expect({ route, role, field, value: attempt.value, refusedNamingIt: named }).toEqual({ route, role, field, value: attempt.value, refusedNamingIt: attempt.refused });
            if (!attempt.refused) expect(res.statusCode, `${route} as ${role}: ${res.body}`).not.toBe(403);
            expect(res.statusCode).toBeLessThan(500);
          }
        }
      }
    }
  });
});

describe('limits and headers', () => {
  it('refuses a body over the limit with 413 problem+json', async () => {
    const res = await limited.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...limited.users.agent.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(5000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toBe('the body is larger than 2 KiB');
    // The default limit, in the same words.
    const big = await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...h.users.agent.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(300 * 1024) }) });
    expect(big.json()).toMatchObject({ status: 413, detail: 'the body is larger than 256 KiB' });
  });

  it('rate-limits per API key with 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v1/me', headers: limited.users.manager.auth })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const refused = await limited.app.inject({ method: 'GET', url: '/api/v1/me', headers: limited.users.manager.auth });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ status: 429 });
    // Another key has its own budget.
    expect((await limited.app.inject({ method: 'GET', url: '/api/v1/me', headers: limited.users.agent.auth })).statusCode).toBe(200);
  });

  it('gives a request its configured time to arrive, and no longer (a slow client cannot hold a socket)', () => {
    expect(limited.app.server.requestTimeout).toBe(7000);
    expect(h.app.server.requestTimeout).toBe(30_000);
  });

  it('sets security headers', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describe('secrets', () => {
  it('never writes an API key to the request log, even at trace level', async () => {
    const key = h.users.admin.auth.authorization.slice('Bearer '.length);
    await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: h.users.admin.auth });
    await h.app.inject({ method: 'GET', url: '/api/v1/nope', headers: h.users.admin.auth });
    expect(logLines.length).toBeGreaterThan(0);
    // The secret is what follows `crm_k<16 hex>_` (it may itself contain underscores).
    expect(logLines.join('\n')).not.toContain(key.slice('crm_k0123456789abcdef_'.length));
  });
});
