import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { buildApp } from '../../api/app';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataConverter, ENCRYPTED_ENCODING } from '../../temporal/codec';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';

const History = proto.temporal.api.history.v1.History;
type RawPayload = { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null };

let h: Harness;
// A client without the codec sees what the Temporal server stores.
let plain: Client;
const pii = { name: `Zoë Quartermain ${uniq()}`, subject: `Router melted ${uniq()}`, description: `Smoke from the socket ${uniq()}`, address: `12 Rue Secrète ${uniq()}, Lyon` };
let ticketWorkflowId: string;
let orderWorkflowId: string;

beforeAll(async () => {
  h = await startHarness({ worker: true });
  plain = new Client({ connection: h.client.connection, namespace: h.config.temporal.namespace });
  const t = ticketDriver(h);
  const customer = await t.call('supervisor', 'POST', '/customers', { name: pii.name, kind: 'individual', tier: 'vip', creditLimit: '0.00' }, 201);
  const ticket = await t.open({ customerId: customer.id, subject: pii.subject, description: pii.description });
  await t.act('agent', ticket.id, 'escalate', { opinion: `Customer ${pii.name} says: ${pii.description}` });
  const o = orderDriver(h);
  const product = await o.product();
  const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'prepaid', deliveryAddress: pii.address });
  [ticketWorkflowId, orderWorkflowId] = [`ticket-${ticket.id}`, `order-${order.id}`];
});
afterAll(async () => {
  await h?.close();
});

const rawHistory = (workflowId: string) => plain.workflow.getHandle(workflowId).fetchHistory();
const startInput = async (workflowId: string) => (await rawHistory(workflowId)).events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads! as RawPayload[];
const toJson = (p: RawPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

describe('customer data in Temporal', () => {
  it('is stored only encrypted: no name, subject, description or address in the raw histories', async () => {
    for (const workflowId of [ticketWorkflowId, orderWorkflowId]) {
      const bytes = Buffer.from(History.encode(await rawHistory(workflowId)).finish());
      expect(bytes.includes(ENCRYPTED_ENCODING), workflowId).toBe(true);
      for (const [what, value] of Object.entries(pii)) expect(bytes.includes(value), `${what} in ${workflowId}`).toBe(false);
    }
  });

  it('reaches the codec-configured client and the workflow in clear', async () => {
    const description = await h.client.workflow.getHandle(ticketWorkflowId).describe();
    expect(await description.staticSummary()).toMatch(/^Ticket T-/);
    expect(await description.staticDetails()).not.toContain(pii.subject);
    const events = await h.database.sql`select note from ticket_events where ticket_id = ${ticketWorkflowId.slice('ticket-'.length)} order by seq`;
    expect(events[0]!.note).toBe(pii.subject);
  });

  it('replays from the encrypted history with the codec', async () => {
    const history = await rawHistory(ticketWorkflowId);
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('crm').workflowBundlePath }, dataConverter: dataConverter(h.config) }, history, ticketWorkflowId);
  });
});

describe('the codec endpoint', () => {
  const decode = (headers: Record<string, string>, payloads: RawPayload[]) =>
    h.app.inject({ method: 'POST', url: '/codec/decode', headers: { ...headers, origin: h.config.temporal.uiUrl }, payload: { payloads: payloads.map(toJson) } });

  it('decrypts history payloads for a manager, as the Temporal UI and CLI ask', async () => {
    const res = await decode(h.users.manager.auth, await startInput(orderWorkflowId));
    expect(res.statusCode).toBe(200);
    const [payload] = res.json().payloads as Array<{ metadata: Record<string, string>; data: string }>;
    expect(Buffer.from(payload!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload!.data, 'base64').toString())).toMatchObject({ deliveryAddress: pii.address });
    expect(res.headers['access-control-allow-origin']).toBe(new URL(h.config.temporal.uiUrl).origin);
  });

  it('encrypts for a manager, and what it encrypts decrypts again', async () => {
    const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(pii.subject)).toString('base64') };
    const encoded = await h.app.inject({ method: 'POST', url: '/codec/encode', headers: h.users.supervisor.auth, payload: { payloads: [payload] } });
    expect(encoded.statusCode).toBe(200);
    expect(Buffer.from(encoded.json().payloads[0].data, 'base64').includes(pii.subject)).toBe(false);
    const decoded = await h.app.inject({ method: 'POST', url: '/codec/decode', headers: h.users.admin.auth, payload: encoded.json() });
    expect(decoded.json().payloads).toEqual([payload]);
  });

  it('refuses an agent (403) and a caller without a key (401), with CORS headers the browser can read', async () => {
    const payloads = await startInput(ticketWorkflowId);
    const elsewhere = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: '/codec/decode', remoteAddress: '10.1.2.3', headers: { ...headers, origin: h.config.temporal.uiUrl }, payload: { payloads: payloads.map(toJson) } });
    for (const [res, status] of [[await decode(h.users.agent.auth, payloads), 403], [await elsewhere({}), 401]] as const) {
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain(Buffer.from(pii.subject).toString('base64').slice(0, 12));
      expect(res.headers['access-control-allow-origin']).toBeDefined();
    }
  });

  it('decrypts for the Temporal UI served on this machine without a key (npm start), and for no other origin or address', async () => {
    const payloads = { payloads: (await startInput(ticketWorkflowId)).map(toJson) };
    const call = (origin: string | undefined, remoteAddress = '127.0.0.1') =>
      h.app.inject({ method: 'POST', url: '/codec/decode', remoteAddress, headers: origin ? { origin } : {}, payload: payloads });
    const local = await call(h.config.temporal.uiUrl);
    expect(local.statusCode).toBe(200);
    expect(Buffer.from(local.json().payloads[0].data, 'base64').toString()).toContain(pii.subject);
    expect((await call(h.config.temporal.uiUrl, '::ffff:127.0.0.1')).statusCode).toBe(200);
    expect((await call('http://localhost:9999')).statusCode).toBe(401);
    expect((await call(undefined)).statusCode).toBe(401);
    expect((await call(h.config.temporal.uiUrl, '192.168.1.20')).statusCode).toBe(401);
    const untrusting = { ...h.config, temporal: { ...h.config.temporal, codecTrustsLocalUi: false } };
    const exposed = { ...h.config, api: { ...h.config.api, host: '0.0.0.0' } };
    for (const config of [untrusting, exposed]) {
      const app = await buildApp({ config, database: h.database, temporal: h.client });
      const res = await app.inject({ method: 'POST', url: '/codec/decode', remoteAddress: '127.0.0.1', headers: { origin: config.temporal.uiUrl }, payload: payloads });
      expect(res.statusCode).toBe(401);
      await app.close();
    }
  });

  it('answers the browser preflight from the Temporal UI origin, allowing Authorization', async () => {
    const res = await h.app.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: h.config.temporal.uiUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const foreign = await h.app.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: 'https://evil.example' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
