import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTemporalCli } from '../../temporal/cli';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { startInboundSweep } from '../../temporal/inbound';
import { registerSearchAttributes } from '../../temporal/search-attributes';
import { PATIENT_PEOPLE, sized } from '../helpers/chaos';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { freePort } from '../helpers/environment';
import { setUpCustomer } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { Gate, launchFleet, midway, PROCESS_KINDS } from '../helpers/processes';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Fault 3: the Temporal dev server stops under load and starts again from its SQLite file. Workflows
// resume where they were, and timers that fell due during the outage fire. This file owns its server.
// Full size: 70 of each of the three kinds, so more than 200 processes are in flight at the fault.
const PER_KIND = sized(5, 70);
const TIMERS = sized(5, 50);
const OUTAGE_MS = 4000;

let dir: string;
let options: Parameters<typeof startDevServer>[0];
let server: DevServer;
let db: FreshDatabase;
let h: Harness;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-temporal-restart-'));
  options = {
    cli: await resolveTemporalCli({ explicit: process.env.TEMPORAL_CLI || null }), port: await freePort(), uiPort: null,
    dbFile: path.join(dir, 'temporal.sqlite'), namespace: 'default', logFile: path.join(dir, 'temporal.log'),
  };
  server = await startDevServer(options);
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  await connection.close();
  // Its own database too: the confirmation window below is a global setting.
  db = await freshDatabase();
  h = await startHarness({
    worker: true,
    env: { DATABASE_URL: db.url, TEMPORAL_ADDRESS: server.address, CRM_INBOUND_SMTP_PORT: '0', CRM_INBOUND_SWEEP_MS: '1000', ...PATIENT_PEOPLE },
  });
});
afterAll(async () => {
  await h?.close();
  await server?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the Temporal server restarted under load', () => {
  it(`resumes all ${PROCESS_KINDS.length * PER_KIND} tickets, orders and call-offs, ${TIMERS} confirmation timers due during the outage still fire, and mail accepted meanwhile is processed`, async () => {
    const t = ticketDriver(h);
    // The fleet opens first, with the default confirmation window: a process keeps the settings it
    // started with, so its tickets wait for their confirmations however long the outage lasts.
    const gate = new Gate();
    const fleet = await launchFleet(h, PER_KIND, gate);
    await t.call('admin', 'PUT', '/settings', { 'ticket.confirmationWindow': '2s' });
    const customer = await t.customer();
    const contact = `outage-${uniq()}@customer.test`;
    await setUpCustomer(h, { contacts: [{ name: 'Olga', email: contact }] });
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: h.app.inboundSmtp!.port, secure: false, ignoreTLS: true });
    const inboundStatus = async (messageId: string) => (await h.database.sql<{ status: string }[]>`select status from inbound_messages where message_id = ${messageId}`)[0]?.status;
    const timed = await Promise.all(Array.from({ length: TIMERS }, async () => {
      const { id } = await t.open({ customerId: customer.id });
      await t.act('agent', id, 'escalate', { opinion: 'check the modem' });
      await t.act('support_l2', id, 'claim');
      return id as string;
    }));
    await midway(h, fleet);
    await gate.close();
    // Resolved just before the stop: nobody confirms, so their 2 s windows end while the server is down.
    await Promise.all(timed.map((id) => t.act('support_l2', id, 'resolve', { resolution: 'modem replaced' })));
    await server.stop();
    // Mail keeps arriving while Temporal is away: it is accepted (stored) and waits for its workflow.
    const sent = await mailer.sendMail({ from: contact, to: 'support@crm.test', subject: 'Sent during the outage', text: 'Is anyone there?' });
    expect(await inboundStatus(sent.messageId)).toBe('received');
    await sleep(OUTAGE_MS);
    server = await startDevServer(options);
    await startInboundSweep(h.client, h.config);
    gate.open();
    await fleet.driven;
    const audit = await fleet.audit();
    const autoClosed = await eventually(async () => (await h.database.sql<{ n: number }[]>`
      select count(*)::int as n from ticket_events where ticket_id = any(${timed}) and action = 'auto-close'`)[0]!.n, (n) => n === TIMERS, { timeoutMs: 60_000 });
    console.log(`[temporal-restart] ${JSON.stringify({ ...audit, timers: { fired: autoClosed, of: TIMERS } })}`);
    for (const [kind, result] of Object.entries(audit)) expect(result, kind).toEqual({ completed: PER_KIND, lost: [], duplicated: [] });
    expect(autoClosed).toBe(TIMERS);
    expect(await eventually(() => inboundStatus(sent.messageId), (status) => status === 'processed', { timeoutMs: 30_000 })).toBe('processed');
  }, 300_000);
});
