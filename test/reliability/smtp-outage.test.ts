import { and, eq, sql } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../channels/mail-catcher';
import { notificationDeliveries, ticketEvents } from '../../db/schema';
import { messageIdOf } from '../../domain/notifications';
import { PATIENT_PEOPLE, sized } from '../helpers/chaos';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { overrideSettings } from '../helpers/settings';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Fault: the SMTP server is down while a fleet of VIP tickets breaches its SLAs. Every notification is
// written and planned meanwhile and its delivery retried; once the server is back, every planned mail
// arrives exactly once (one Message-ID, no repeats), and each supervisor has one breach mail per breach
// the tickets recorded. A database of its own keeps the recipients to this file's users.
const TICKETS = sized(6, 200);
const BREACHES_PER_TICKET = 3; // the response window passes at L1, L2 and L3

let fresh: FreshDatabase;
let h: Harness;
let catcher: MailCatcher | null = null;
let port: number;

beforeAll(async () => {
  fresh = await freshDatabase();
  const probe = await startMailCatcher();
  port = probe.port;
  await probe.close(); // the server is down from the start
  h = await startHarness({
    worker: true,
    env: {
      DATABASE_URL: fresh.url, CRM_SMTP_URL: `smtp://127.0.0.1:${port}`, CRM_MAIL_FROM: 'crmflow <support@crm.test>',
      CRM_DELIVERY_RETRY_INITIAL_MS: '200', CRM_DELIVERY_RETRY_MAX_MS: String(sized(1000, 5000)), CRM_DELIVERY_ATTEMPT_TIMEOUT_MS: '10000',
      ...PATIENT_PEOPLE,
    },
  });
  await overrideSettings(h, { 'sla.urgent.response': '1s', 'sla.urgent.resolution': '1h', 'sla.calendar': null });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await catcher?.close();
  await fresh?.drop();
});

const pendingEmail = async () => (await h.database.db.select({ n: sql<number>`count(*)::int` }).from(notificationDeliveries)
  .where(and(eq(notificationDeliveries.channel, 'email'), eq(notificationDeliveries.status, 'pending'))))[0]!.n;

describe('SMTP server down while SLAs breach', () => {
  it(`delivers every notification of ${TICKETS} breaching VIP tickets once the server is back, none twice`, async () => {
    const t = ticketDriver(h);
    const vip = await t.customer('vip');
    const contact = `vip-${uniq()}@customer.test`;
    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/customers/${vip.id}`, headers: h.users.supervisor.auth, payload: { contacts: [{ name: 'V', email: contact }] } });
    expect(patched.statusCode, patched.body).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < TICKETS; i += 20) {
      const batch = await Promise.all(Array.from({ length: Math.min(20, TICKETS - i) }, () => t.open({ customerId: vip.id, priority: 'urgent' })));
      ids.push(...batch.map((b) => b.id as string));
    }
    const breaches = () => h.database.db.select({ n: sql<number>`count(*)::int` }).from(ticketEvents).where(eq(ticketEvents.action, 'response-breach'));
    await eventually(breaches, ([row]) => row!.n === TICKETS * BREACHES_PER_TICKET, { timeoutMs: sized(30_000, 240_000), intervalMs: 500 });
    await sleep(1000); // the last breach's notifications are written right after its record
    const waiting = await pendingEmail();
    const tried = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(notificationDeliveries)
      .where(and(eq(notificationDeliveries.channel, 'email'), eq(notificationDeliveries.status, 'pending'), sql`${notificationDeliveries.attempts} > 0`));
    expect(waiting).toBeGreaterThanOrEqual(TICKETS * (2 + BREACHES_PER_TICKET)); // at least acknowledgement, VIP intake and the breaches
    expect(tried[0]!.n).toBeGreaterThan(0);

    catcher = await startMailCatcher({ port, keep: 100_000 });
    await eventually(pendingEmail, (n) => n === 0, { timeoutMs: sized(60_000, 600_000), intervalMs: 1000 });

    const emails = await h.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.channel, 'email'));
    expect(emails.filter((d) => d.status !== 'sent')).toEqual([]);
    const caught = catcher.messages();
    expect(caught.filter((m) => m.repeats > 0)).toEqual([]);
    expect(new Set(caught.map((m) => m.messageId))).toEqual(new Set(emails.map((d) => messageIdOf(d.id, 'crm.test'))));
    const supervisor = (await h.app.inject({ method: 'GET', url: `/api/v1/users/${h.users.supervisor.id}`, headers: h.users.admin.auth })).json().email as string;
    for (const id of ids) {
      const breachMails = caught.filter((m) => m.to.includes(supervisor) && m.subject.startsWith(`[${id}] SLA breached`));
      expect(breachMails, id).toHaveLength(BREACHES_PER_TICKET);
      expect(caught.filter((m) => m.to.includes(contact) && m.subject.startsWith(`[${id}] We have received`)), id).toHaveLength(1);
    }
    console.log(`[smtp-outage] ${JSON.stringify({ tickets: TICKETS, mails: caught.length, waitedDuringOutage: waiting })}`);
  }, 900_000);
});
