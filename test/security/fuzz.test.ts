import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles';
import { sized } from '../helpers/chaos';
import { changedTables, fingerprint, settled } from '../helpers/db-fingerprint';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { hostileValue, valueFor, type JsonSchema } from '../helpers/schema-arbitrary';
import { ticketDriver } from '../helpers/tickets';

// Every route, generated from the OpenAPI document the app publishes, gets valid-looking, broken and
// hostile input: SPEC §2 promises no 5xx for bad input, a problem+json for every refusal, and no
// write on a refusal. Its own database, so the row comparison sees only this file's requests.

const RUNS_PER_ROUTE = sized(12, 200);
// A refused create is stored under its Idempotency-Key on purpose: a retry must get the same refusal.
const RECORDS_REFUSALS = ['idempotency_keys'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Parameter { name: string; in: 'path' | 'query' | 'header'; schema: JsonSchema; required?: boolean }
interface Operation { method: (typeof METHODS)[number]; path: string; parameters: Parameter[]; body: JsonSchema | null; role: Role | null }
interface FuzzRequest { url: string; query: Record<string, string>; headers: Record<string, string>; payload?: string }

let tried = 0;
const statuses = new Map<number, number>();
// Started while the file loads: the tests are generated from the running app's route table.
const db: FreshDatabase = await freshDatabase();
const h: Harness = await startHarness({ worker: true, env: { DATABASE_URL: db.url, CRM_RATE_LIMIT_PER_MINUTE: '100000000' } });
let seeds: Record<string, string>;

beforeAll(async () => {
  // Real resources, so the fuzzer also reaches the handlers and workflows behind a found id.
  const t = ticketDriver(h);
  const o = orderDriver(h);
  const customer = await t.customer();
  const product = await o.product({ stock: 1000 });
  const ticket = await t.open({ customerId: customer.id });
  const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'prepaid' });
  seeds = { tickets: ticket.id, orders: order.id, customers: customer.id, products: product.sku, sku: product.sku, users: h.users.agent.id, calendars: 'office' };
  await settled(h.database.sql);
});

afterAll(async () => {
  console.log(`[fuzz] ${tried} inputs tried on ${operations().length} routes; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  await h.close();
  await db.drop();
});

function operations(): Operation[] {
  const doc = h.app.swagger() as { paths: Record<string, Partial<Record<(typeof METHODS)[number], { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>> };
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => {
    const op = item[method]!;
    const access = h.app.routeAccess.find((r) => r.method === method.toUpperCase() && r.url === path.replace(/\{(\w+)\}/g, ':$1'));
    const role = !access || access.roles === 'public' ? null : access.roles === 'authenticated' ? 'manager' : access.roles[0]!;
    return { method, path, parameters: op.parameters ?? [], body: op.requestBody?.content['application/json']?.schema ?? null, role };
  }));
}

/** An id from the seeds where the route names a seeded resource, else anything at all. */
function paramValue(path: string, name: string): fc.Arbitrary<string> {
  const resource = name === 'id' ? path.split('/')[3]! : name;
  const seeded = seeds[resource];
  // JSON text for non-strings: fast-check makes objects without a prototype, which String() cannot convert.
  const any = valueFor({ type: 'string', maxLength: 64 }, true).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '').slice(0, 3000));
  return seeded ? fc.oneof({ weight: 2, arbitrary: fc.constant(seeded) }, { weight: 1, arbitrary: any }) : any;
}

const malformedJson = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', 'nul', '\ufeff{}', '{"a":1,"a":2}', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}',
    '"a string"', '1e999', '-', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, `{"a":"${'\\ud800'}"}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

// encodeURIComponent throws on a lone surrogate; such a segment goes out as the replacement character,
// which is what a client library would send.
const encodePathSegment = (value: string) => encodeURIComponent(value.toWellFormed());

function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters.filter((p) => p.in === 'path');
  const queries = op.parameters.filter((p) => p.in === 'query');
  const path = fc.tuple(...params.map((p) => paramValue(op.path, p.name))).map((values) =>
    params.reduce((url, p, i) => url.replace(`{${p.name}}`, encodePathSegment(values[i]!)), op.path));
  const query = fc.record(Object.fromEntries([...queries.map((q) => [q.name, valueFor(q.schema, true)] as const), ['unknownFilter', hostileValue] as const]), { requiredKeys: [] })
    .map((q) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']).map(([k, v]) => [k, v!.slice(0, 3000)])));
  const body: fc.Arbitrary<{ payload?: string; contentType?: string }> = op.body
    ? fc.oneof(
      { weight: 6, arbitrary: valueFor(op.body, true).map((value) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' })) },
      { weight: 1, arbitrary: malformedJson.map((payload) => ({ payload, contentType: 'application/json' })) },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data').map((contentType) => ({ payload: 'a=1', contentType })) },
    )
    : fc.constant({});
  const idempotencyKey = fc.option(fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 300 })), { freq: 4 });
  return fc.record({ path, query, body, idempotencyKey }).map(({ path: url, query: q, body: b, idempotencyKey: key }) => ({
    url,
    query: q,
    payload: b.payload,
    headers: {
      ...(op.role ? h.users[op.role].auth : {}),
      ...(b.contentType ? { 'content-type': b.contentType } : {}),
      // Header values must be valid HTTP: a key with control characters cannot even be sent.
      ...(key !== null && /^[\t\x20-\x7e]*$/.test(key) ? { 'idempotency-key': key } : {}),
    },
  }));
}

describe('every route under fuzzed input', () => {
  it('has routes to fuzz', () => {
    expect(operations().length).toBeGreaterThan(40);
  });

  it.each(operations().map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s: no 5xx, refusals are problem+json, a refusal writes nothing', async (_name, op) => {
    await fc.assert(fc.asyncProperty(requestFor(op), async (request) => {
      const before = await fingerprint(h.database.sql, RECORDS_REFUSALS);
      const res = await h.app.inject({ method: op.method.toUpperCase() as 'GET', url: request.url, query: request.query, headers: request.headers, payload: request.payload });
      tried++;
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const label = `${op.method.toUpperCase()} ${request.url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode, label).toBeLessThan(500);
      if (res.statusCode < 400) {
        // An accepted write may start or move a process that goes on writing for a moment.
        if (op.method !== 'get') await settled(h.database.sql, RECORDS_REFUSALS);
        return;
      }
      expect(res.headers['content-type'], label).toContain('application/problem+json');
      expect(res.json(), label).toMatchObject({ status: res.statusCode, type: expect.any(String), title: expect.any(String) });
      expect(changedTables(before, await fingerprint(h.database.sql, RECORDS_REFUSALS)), label).toEqual([]);
    }), { numRuns: RUNS_PER_ROUTE });
  }, sized(60_000, 900_000));
});
