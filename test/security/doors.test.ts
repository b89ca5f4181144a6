import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/roles';
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

describe('limits and headers', () => {
  it('refuses a body over the limit with 413 problem+json', async () => {
    const res = await limited.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...limited.users.agent.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(5000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
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
