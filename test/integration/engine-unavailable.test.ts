import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../api/app';
import { dataConverter } from '../../temporal/codec';
import { startWorkers, type RunningWorkers } from '../../temporal/worker';
import { freePort } from '../helpers/environment';
import { startHarness, uniq, type Harness } from '../helpers/harness';

// Overload is an answer, not a crash (issue 19): when the engine does not answer an Update within
// CRM_UPDATE_WAIT_MS the API says 504 (outcome unknown; a create retried with its Idempotency-Key is
// safe), and when Temporal cannot be reached it says 503; both problem+json with Retry-After.

const WAIT_MS = 400;
let h: Harness;
let workers: RunningWorkers | null = null;
let workerConnection: NativeConnection | null = null;

// No worker polls this harness's queues until a test starts one: every Update waits in vain.
beforeAll(async () => {
  h = await startHarness({ worker: false, queues: ['tickets'], env: { CRM_UPDATE_WAIT_MS: String(WAIT_MS) } });
});
afterAll(async () => {
  await workers?.shutdown();
  await workerConnection?.close();
  await h?.close();
});

const post = (url: string, payload: object, headers: Record<string, string> = {}, app: App = h.app) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...h.users.agent.auth, ...headers }, payload });

describe('the engine does not answer in time', () => {
  it('answers 504 with Retry-After, and the retry with the same Idempotency-Key opens exactly one ticket', async () => {
    const customer = (await post('/customers', { name: `Customer ${uniq()}`, kind: 'enterprise', tier: 'standard', creditLimit: '1000.00' })).json();
    const ticket = { customerId: customer.id, channel: 'phone', category: 'fault', priority: 'low', subject: 'Line down', description: 'No dial tone' };
    const key = { 'idempotency-key': `overload-${uniq()}` };

    const started = Date.now();
    const timedOut = await post('/tickets', ticket, key);
    expect(timedOut.statusCode, timedOut.body).toBe(504);
    expect(timedOut.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(timedOut.headers['retry-after']).toBe('1');
    expect(timedOut.json()).toMatchObject({ status: 504, title: 'Gateway Timeout', type: 'https://crmflow.dev/problems/engine-timeout' });
    expect(Date.now() - started).toBeLessThan(WAIT_MS + 5_000);

    workerConnection = await NativeConnection.connect({ address: h.config.temporal.address });
    workers = await startWorkers({ config: h.config, connection: workerConnection, deps: { db: h.database.db, config: h.config, temporal: h.client }, queues: ['tickets'] });
    // A cold worker may need longer than the wait for its first task: the caller retries on 504, as told.
    let retried = await post('/tickets', ticket, key);
    for (let attempt = 1; retried.statusCode === 504 && attempt < 20; attempt++) retried = await post('/tickets', ticket, key);
    expect(retried.statusCode, retried.body).toBe(201);
    const again = await post('/tickets', ticket, key);
    expect(again.json()).toEqual(retried.json());
    const list = await h.app.inject({ method: 'GET', url: `/api/v1/tickets?customerId=${customer.id}`, headers: h.users.manager.auth });
    expect(list.json().items.map((row: { id: string }) => row.id)).toEqual([retried.json().id]);
  });
});

describe('the engine cannot be reached', () => {
  it('answers 503 with Retry-After for a create and for an action, and writes nothing', async () => {
    // The same app and database, its Temporal client pointed at a port where nothing listens.
    const connection = await Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const temporal = new Client({ connection, namespace: h.config.temporal.namespace, dataConverter: dataConverter(h.config) });
    const app = await buildApp({ config: h.config, database: h.database, temporal, logger: false });
    try {
      const customer = (await post('/customers', { name: `Customer ${uniq()}`, kind: 'enterprise', tier: 'standard', creditLimit: '1000.00' })).json();
      const create = await post('/tickets', { customerId: customer.id, channel: 'phone', category: 'fault', priority: 'low', subject: 'Line down', description: 'No dial tone' }, {}, app);
      expect(create.statusCode, create.body).toBe(503);
      expect(create.headers['retry-after']).toBe('5');
      expect(create.json()).toMatchObject({ status: 503, type: 'https://crmflow.dev/problems/engine-unavailable' });
      const rows = await h.database.sql`select id from tickets where customer_id = ${customer.id}`;
      expect(rows).toHaveLength(0);

      // An action on a ticket the database knows, while its workflow cannot be reached.
      const [existing] = await h.database.sql<{ id: string }[]>`select id from tickets limit 1`;
      const refused = await app.inject({ method: 'POST', url: `/api/v1/tickets/${existing!.id}/notes`, headers: h.users.agent.auth, payload: { text: 'called back' } });
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
    } finally {
      await app.close();
      await connection.close();
    }
  });
});

describe('mail arrives and health is asked while the engine cannot be reached', () => {
  it('stores the mail for the sweep, answers degraded, and leaves no call retrying once the app has closed', async () => {
    const connection = await Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const temporal = new Client({ connection, namespace: h.config.temporal.namespace, dataConverter: dataConverter(h.config) });
    const app = await buildApp({ config: { ...h.config, inbound: { ...h.config.inbound, port: 0 } }, database: h.database, temporal, logger: false });
    await app.ready();
    // A retry timer left behind fires on the closed connection and throws from a timer: an uncaught exception.
    const uncaught: unknown[] = [];
    const collect = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', collect);
    try {
      const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: app.inboundSmtp!.port, secure: false, ignoreTLS: true });
      const sent = await mailer.sendMail({ from: `nobody-${uniq()}@customer.test`, to: 'support@crm.test', subject: 'Anyone there?', text: 'Hello' });
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode, health.body).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', temporal: { ok: false }, database: { ok: true } });
      await app.close();
      await connection.close();
      const [row] = await h.database.sql<{ status: string }[]>`select status from inbound_messages where message_id = ${sent.messageId}`;
      expect(row).toEqual({ status: 'received' });
      // The client's longest back-off is 5 s: by then a stray retry would have fired.
      await sleep(6_000);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', collect);
    }
  }, 30_000);
});
