import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { customers, idempotencyKeys } from '../../db/schema';
import { ROLES, type Role } from '../../domain/roles';
import { startHarness, uniq, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

const customerBody = (name = `Customer ${uniq()}`) => ({ name, kind: 'enterprise', tier: 'standard', region: 'north', creditLimit: '500.00', contacts: [{ name: 'Pat', email: 'pat@example.com' }] });

describe('health and docs', () => {
  it('reports Temporal and the database reachable without authentication', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', temporal: { ok: true }, database: { ok: true } });
  });

  it('serves OpenAPI 3 with the API routes and Swagger UI', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/users', '/api/v1/settings', '/api/v1/products']));
    const ui = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});

describe('authentication and roles', () => {
  it('refuses a missing or unknown key with 401 problem+json', async () => {
    for (const headers of [{}, { authorization: 'Bearer crm_k0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { authorization: 'Basic abc' }]) {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('tells every user who they are', async () => {
    for (const role of ROLES) {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: h.users[role].auth });
      expect(res.json()).toEqual({ id: h.users[role].id, name: `Test ${role}`, roles: [role] });
    }
  });

  it('admits only the declared roles to each admin route (403 for the rest)', async () => {
    const cases: Array<{ method: 'GET' | 'PUT' | 'POST'; url: string; payload?: object; allowed: Role[] }> = [
      { method: 'PUT', url: '/api/v1/settings', payload: {}, allowed: ['admin'] },
      { method: 'GET', url: '/api/v1/settings', allowed: ['admin', 'manager', 'supervisor'] },
      { method: 'GET', url: '/api/v1/settings/definitions', allowed: ['admin', 'manager', 'supervisor'] },
      { method: 'GET', url: '/api/v1/users', allowed: ['admin', 'manager'] },
      { method: 'POST', url: '/api/v1/customers', payload: customerBody(), allowed: ['agent', 'supervisor', 'admin'] },
    ];
    for (const c of cases) {
      for (const role of ROLES) {
        const res = await h.app.inject({ method: c.method, url: c.url, payload: c.payload, headers: h.users[role].auth });
        expect({ role, url: c.url, status: res.statusCode }).toEqual({ role, url: c.url, status: c.allowed.includes(role) ? expect.any(Number) : 403 });
        if (c.allowed.includes(role)) expect(res.statusCode).toBeLessThan(300);
      }
    }
  });

  it('issues a key once, stores only its hash, and revokes it', async () => {
    const email = `new-${uniq()}@test.local`;
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/users', headers: h.users.admin.auth, payload: { name: 'Nina', email, roles: ['support_l2'] } });
    expect(created.statusCode).toBe(201);
    const { id, apiKey, keyId } = created.json();
    expect(apiKey).toMatch(/^crm_k[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const stored = await h.database.sql`select secret_hash from api_keys where id = ${keyId}`;
    expect(stored[0]!.secret_hash).not.toContain(apiKey.slice('crm_k0123456789abcdef_'.length));
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${apiKey}` } });
    expect(me.json()).toMatchObject({ id, roles: ['support_l2'] });

    const rotated = await h.app.inject({ method: 'POST', url: `/api/v1/users/${id}/keys`, headers: h.users.admin.auth, payload: {} });
    expect(rotated.statusCode).toBe(201);
    const revoke = await h.app.inject({ method: 'DELETE', url: `/api/v1/users/${id}/keys/${keyId}`, headers: h.users.admin.auth });
    expect(revoke.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${apiKey}` } })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${rotated.json().apiKey}` } })).statusCode).toBe(200);
    // The user's page lists both keys, newest first, by id and dates only: no secret, no hash.
    const detail = (await h.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: h.users.manager.auth })).json();
    expect(detail.keys).toEqual([
      { keyId: rotated.json().keyId, createdAt: expect.any(String), revokedAt: null },
      { keyId, createdAt: expect.any(String), revokedAt: expect.any(String) },
    ]);
    const duplicate = await h.app.inject({ method: 'POST', url: '/api/v1/users', headers: h.users.admin.auth, payload: { name: 'Nina', email, roles: ['agent'] } });
    expect(duplicate.statusCode).toBe(409);
  });
});

describe('settings', () => {
  it('describes every setting (kind, default, what it does), in the order and with the keys GET /settings answers', async () => {
    const defs = (await h.app.inject({ method: 'GET', url: '/api/v1/settings/definitions', headers: h.users.supervisor.auth })).json().items;
    const values = (await h.app.inject({ method: 'GET', url: '/api/v1/settings', headers: h.users.supervisor.auth })).json();
    expect(defs.map((d: { key: string }) => d.key)).toEqual(Object.keys(values));
    expect(defs.find((d: { key: string }) => d.key === 'sla.urgent.response')).toEqual({
      key: 'sla.urgent.response', kind: 'duration', default: '15m', description: 'urgent tickets: time from entering a queue to being claimed',
    });
  });
});

describe('validation', () => {
  // A supervisor may give any tier, so a wrong tier is the schema's to refuse (an agent sending one is refused 403 first).
  const post = (payload: unknown, contentType = 'application/json') => h.app.inject({
    method: 'POST', url: '/api/v1/customers', headers: { ...h.users.supervisor.auth, 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

  it.each([
    ['an unknown property', { ...customerBody(), vip: true }, '/vip'],
    ['a missing field', { name: 'A', kind: 'individual', tier: 'standard' }, '/creditLimit'],
    ['a wrong enum value', { ...customerBody(), tier: 'gold' }, '/tier'],
    ['money as a number', { ...customerBody(), creditLimit: 100 }, '/creditLimit'],
    ['money with three decimals', { ...customerBody(), creditLimit: '1.005' }, '/creditLimit'],
    ['negative money', { ...customerBody(), creditLimit: '-5.00' }, '/creditLimit'],
    ['an unknown contact property', { ...customerBody(), contacts: [{ name: 'x', fax: '1' }] }, '/contacts/0/fax'],
    ['a NUL character, which PostgreSQL cannot store', { ...customerBody(), name: 'a\u0000b' }, '/name'],
  ])('refuses %s with 400 problem+json naming the field, writing nothing', async (_label, body, path) => {
    const before = await h.database.sql`select count(*)::int as n from customers`;
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    const after = await h.database.sql`select count(*)::int as n from customers`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses malformed JSON and a wrong content type with 4xx problem+json, never 500', async () => {
    const malformed = await post('{"name": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().status).toBe(400);
    const wrongType = await post('name=x', 'application/x-www-form-urlencoded');
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().status).toBe(415);
  });

  it('refuses bad query parameters and an invalid cursor', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/customers?limit=500', headers: h.users.agent.auth })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/customers?colour=red', headers: h.users.agent.auth })).statusCode).toBe(400);
    const cursor = await h.app.inject({ method: 'GET', url: '/api/v1/customers?cursor=nonsense', headers: h.users.agent.auth });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0].path).toBe('/cursor');
  });

  it('answers unknown routes and resources with 404 problem+json', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: h.users.agent.auth })).json()).toMatchObject({ status: 404 });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/customers/CUS-999999999', headers: h.users.agent.auth })).json()).toMatchObject({ status: 404 });
  });
});

describe('Idempotency-Key', () => {
  it('turns 20 concurrent identical requests into one customer and one answer', async () => {
    const key = `idem-${uniq()}`;
    const body = customerBody();
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.app.inject({
      method: 'POST', url: '/api/v1/customers', headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload: body,
    })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const rows = await h.database.db.select().from(customers).where(eq(customers.name, body.name));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe([...ids][0]);
  });

  it('refuses the same key with a different body (422) and scopes keys per user', async () => {
    const key = `idem-${uniq()}`;
    const first = await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload: customerBody() });
    expect(first.statusCode).toBe(201);
    const changed = await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload: customerBody() });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().type).toContain('idempotency-key-reused');
    const otherUser = await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...h.users.supervisor.auth, 'idempotency-key': key }, payload: customerBody() });
    expect(otherUser.statusCode).toBe(201);
    expect(otherUser.json().id).not.toBe(first.json().id);
    const [row] = await h.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).limit(1);
    expect(row!.resourceId).toBe(first.json().id);
  });

  it('takes the same body with its keys in another order as the same request: the first answer, not 422', async () => {
    const key = `idem-${uniq()}`;
    const body = customerBody();
    const reordered = Object.fromEntries(Object.entries({ ...body, contacts: [{ email: 'pat@example.com', name: 'Pat' }] }).reverse());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(body));
    const send = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload });
    const first = await send(body);
    expect(first.statusCode).toBe(201);
    const again = await send(reordered);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(await h.database.db.select().from(customers).where(eq(customers.name, body.name))).toHaveLength(1);
  });

  it('without a key, each request creates its own resource', async () => {
    const body = customerBody();
    const [a, b] = await Promise.all([1, 2].map(() => h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: h.users.agent.auth, payload: body })));
    expect(a!.json().id).not.toBe(b!.json().id);
  });
});
