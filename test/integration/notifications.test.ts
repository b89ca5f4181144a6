import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../channels/mail-catcher';
import { notificationDeliveries } from '../../db/schema';
import { deliveryWorkflowId, messageIdOf } from '../../domain/notifications';
import type { Role } from '../../domain/roles';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

// Notifications on the real stack: a real SMTP server (the mail catcher) and a real HTTP receiver in
// this process, the worker delivering through Temporal, PostgreSQL holding every delivery.

const DELIVERY_ENV = {
  CRM_MAIL_FROM: 'crmflow <support@crm.test>',
  CRM_DELIVERY_RETRY_INITIAL_MS: '200',
  CRM_DELIVERY_RETRY_MAX_MS: '400',
  CRM_DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
};

interface Received { headers: IncomingHttpHeaders; body: string; answered: number }

/** An HTTP receiver that answers with the next status from a script (then 200) and keeps every request. */
async function startReceiver() {
  const received: Received[] = [];
  const script: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += String(chunk); });
    req.on('end', () => {
      const answered = script.shift() ?? 200;
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    answerNext: (...statuses: number[]) => script.push(...statuses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let catcher: MailCatcher;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const bounced = `bounce-${uniq()}@crm.test`;

beforeAll(async () => {
  catcher = await startMailCatcher({ refuseRecipient: (address) => (address === bounced ? { code: 550, message: 'no such mailbox' } : null) });
  receiver = await startReceiver();
  h = await startHarness({ worker: true, env: { ...DELIVERY_ENV, CRM_SMTP_URL: catcher.url } });
  t = ticketDriver(h);
});
afterAll(async () => {
  await h?.close();
  await receiver?.close();
  await catcher?.close();
});

const mailTo = (address: string) => catcher.messages().filter((m) => m.to.includes(address));
const call = async (role: Role, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, expected = 200) => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(expected);
  return res.body ? res.json() : null;
};
const newUser = async (roles: Role[], extra: object = {}) => {
  const email = `${roles[0]}-${uniq()}@crm.test`;
  const created = await call('admin', 'POST', '/users', { name: `User ${uniq()}`, email, roles, ...extra }, 201);
  return { id: created.id as string, email, auth: { authorization: `Bearer ${created.apiKey}` } };
};
const emailOf = async (userId: string) => (await call('admin', 'GET', `/users/${userId}`)).email as string;
const deliveriesTo = (address: string) => h.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.address, address));

describe('e-mail', () => {
  it('mails a VIP ticket to every active supervisor in their language and the acknowledgement to the customer, each with the number in the subject and its own stable Message-ID', async () => {
    const german = await newUser(['supervisor'], { language: 'de' });
    const gone = await newUser(['supervisor']);
    await call('admin', 'PATCH', `/users/${gone.id}`, { active: false });
    const contact = `contact-${uniq()}@customer.test`;
    const vip = await t.customer('vip');
    await call('supervisor', 'PATCH', `/customers/${vip.id}`, { contacts: [{ name: 'Greta', email: contact }] });
    const opened = await t.open({ customerId: vip.id, subject: 'Router dead' });

    const supervisorEmail = await emailOf(h.users.supervisor.id);
    const [english] = await eventually(async () => mailTo(supervisorEmail), (m) => m.length === 1);
    const [deutsch] = await eventually(async () => mailTo(german.email), (m) => m.length === 1);
    const [ack] = await eventually(async () => mailTo(contact), (m) => m.length === 1);
    expect(english!.subject).toBe(`[${opened.id}] VIP ticket: Router dead`);
    expect(deutsch!.subject).toBe(`[${opened.id}] VIP-Ticket: Router dead`);
    expect(ack!.subject).toBe(`[${opened.id}] We have received your request: Router dead`);
    expect(english!.text).toContain(`/console/#/tickets/${opened.id}`);
    expect(ack!.text).not.toContain('/console/'); // customers get no staff links
    expect(english!.html).toContain('<p>');
    expect(english!.headers['auto-submitted']).toBe('auto-generated');
    expect(english!.from).toBe('"crmflow" <support@crm.test>');
    for (const [mail, address] of [[english!, supervisorEmail], [deutsch!, german.email], [ack!, contact]] as const) {
      // The catcher has the mail a moment before the worker records the send.
      const [delivery] = await eventually(async () => (await deliveriesTo(address)).filter((d) => d.channel === 'email'), (rows) => rows[0]?.status === 'sent');
      expect(mail.messageId).toBe(messageIdOf(delivery!.id, 'crm.test'));
      expect(delivery).toMatchObject({ status: 'sent', attempts: 1, lastResponseCode: 250 });
    }
    expect(mailTo(gone.email)).toEqual([]);
    expect(mailTo(await emailOf(h.users.agent.id))).toEqual([]);
  });

  it('stops at a permanent refusal (SMTP 550) and lists it among the failures', async () => {
    const customer = await t.customer();
    await call('agent', 'PATCH', `/customers/${customer.id}`, { contacts: [{ name: 'Nobody', email: bounced }] });
    const opened = await t.open({ customerId: customer.id });
    const [failed] = await eventually(() => deliveriesTo(bounced), (rows) => rows[0]?.status === 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastResponseCode: 550 });
    const listed = await call('supervisor', 'GET', '/notifications/failures?limit=200');
    expect(listed.items.find((f: { id: string }) => f.id === String(failed!.id))).toMatchObject({
      kind: 'ticket.opened', channel: 'email', address: bounced, resource: { type: 'ticket', id: opened.id }, attempts: 1, lastResponseCode: 550,
      reason: expect.stringContaining('no such mailbox'),
    });
    await call('agent', 'GET', '/notifications/failures', undefined, 403);
  });
});

describe('inbox and preferences', () => {
  it('puts queue entries in the inbox of the tier and mails only those who keep e-mail on; reading one lowers the unread count by one', async () => {
    const quiet = await newUser(['support_l2']);
    const turnedOff = await h.app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers: quiet.auth, payload: { preferences: [{ kind: 'ticket.escalated', email: false }] } });
    expect(turnedOff.statusCode, turnedOff.body).toBe(200);
    expect(turnedOff.json().preferences.find((p: { kind: string }) => p.kind === 'ticket.escalated')).toMatchObject({ inbox: true, email: false, mandatory: false });
    const opened = await t.open();
    await t.act('agent', opened.id, 'escalate', { opinion: 'needs a technician' });

    const l2Email = await emailOf(h.users.support_l2.id);
    const [mail] = await eventually(async () => mailTo(l2Email).filter((m) => m.subject.startsWith(`[${opened.id}]`)), (m) => m.length === 1);
    expect(mail!.subject).toBe(`[${opened.id}] New in the L2 queue: Line down`);
    expect(mail!.text).toContain('Reason: needs a technician');
    const quietInbox = await h.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: quiet.auth });
    const entry = quietInbox.json().items.find((i: { resource: { id: string } }) => i.resource.id === opened.id);
    expect(entry).toMatchObject({ kind: 'ticket.escalated', subject: `[${opened.id}] New in the L2 queue: Line down`, readAt: null, link: expect.stringContaining(`#/tickets/${opened.id}`) });
    expect((await deliveriesTo(quiet.email))).toEqual([]);

    const before = quietInbox.json().unread as number;
    const read = await h.app.inject({ method: 'POST', url: `/api/v1/notifications/${entry.id}/read`, headers: quiet.auth, payload: {} });
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    const after = (await h.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: quiet.auth })).json();
    expect(after.unread).toBe(before - 1);
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain(entry.id);
    // Someone else's entry is not there to read.
    await call('agent', 'POST', `/notifications/${entry.id}/read`, {}, 404);
  });

  it('takes the last word when a request names a kind twice', async () => {
    const changed = await call('agent', 'PUT', '/me/notification-preferences', { preferences: [
      { kind: 'ticket.sla_reminder', email: false, inbox: false }, { kind: 'ticket.sla_reminder', email: true },
    ] });
    expect(changed.preferences.find((p: { kind: string }) => p.kind === 'ticket.sla_reminder')).toMatchObject({ email: true, inbox: false });
  });

  it('refuses to let a supervisor turn off breaches or VIP intake, and changes nothing', async () => {
    const refused = await h.app.inject({
      method: 'PUT', url: '/api/v1/me/notification-preferences', headers: h.users.supervisor.auth,
      payload: { preferences: [{ kind: 'ticket.sla_reminder', email: false }, { kind: 'ticket.sla_breached', email: false }] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toContain('ticket.sla_breached');
    const now = await call('supervisor', 'GET', '/me/notification-preferences');
    expect(now.preferences.filter((p: { kind: string }) => ['ticket.sla_reminder', 'ticket.sla_breached'].includes(p.kind))).toEqual([
      expect.objectContaining({ kind: 'ticket.sla_reminder', email: true }),
      expect.objectContaining({ kind: 'ticket.sla_breached', email: true, mandatory: true }),
    ]);
  });
});

describe('webhooks', () => {
  it('signs each delivery per Standard Webhooks, retries after three 503s with the same webhook-id, and records the attempts', async () => {
    const hook = await call('admin', 'POST', '/webhooks', { url: receiver.url('/hooks'), kinds: ['ticket.escalated'] }, 201);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect((await call('admin', 'GET', '/webhooks')).items.find((w: { id: string }) => w.id === hook.id)).not.toHaveProperty('secret');
    try {
      receiver.answerNext(503, 503, 503);
      const opened = await t.open();
      await t.act('agent', opened.id, 'escalate', { opinion: 'hardware' });
      const attempts = await eventually(async () => receiver.received.filter((r) => r.body.includes(opened.id)), (r) => r.length === 4);
      expect(attempts.map((a) => a.answered)).toEqual([503, 503, 503, 200]);
      expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
      const verifier = new Webhook(hook.secret);
      for (const attempt of attempts) {
        const payload = verifier.verify(attempt.body, attempt.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
        expect(payload).toMatchObject({ type: 'ticket.escalated', data: { number: opened.id, tier: 'L2', reason: 'hardware', resource: { type: 'ticket', id: opened.id } } });
      }
      const [delivery] = await eventually(async () => (await call('admin', 'GET', `/webhooks/${hook.id}/deliveries`)).items as Array<Record<string, unknown>>,
        (items) => items[0]?.status === 'sent');
      expect(delivery).toMatchObject({ kind: 'ticket.escalated', status: 'sent', attempts: 4, lastResponseCode: 200, webhookId: attempts[0]!.headers['webhook-id'] });
      const workflowId = deliveryWorkflowId(Number(delivery!.notificationId));
      await h.client.workflow.getHandle(workflowId).result();
      await recordHistory(h.client, workflowId, 'notification-webhook-retried');
    } finally {
      await call('admin', 'DELETE', `/webhooks/${hook.id}`, undefined, 204);
    }
  });

  it('stops at 410 Gone and shows the failure', async () => {
    const hook = await call('admin', 'POST', '/webhooks', { url: receiver.url('/gone'), kinds: ['*'] }, 201);
    try {
      receiver.answerNext(410);
      const opened = await t.open();
      const [delivery] = await eventually(async () => (await call('admin', 'GET', `/webhooks/${hook.id}/deliveries`)).items as Array<Record<string, unknown>>,
        (items) => items.some((d) => d.status === 'failed'));
      expect(delivery).toMatchObject({ kind: 'ticket.opened', status: 'failed', attempts: 1, lastResponseCode: 410, lastError: 'HTTP 410' });
      expect(receiver.received.filter((r) => r.body.includes(opened.id))).toHaveLength(1);
      const listed = await call('admin', 'GET', '/notifications/failures?limit=200');
      expect(listed.items.find((f: { id: string }) => f.id === delivery!.id)).toMatchObject({ channel: 'webhook', address: hook.id, lastResponseCode: 410 });
    } finally {
      await call('admin', 'DELETE', `/webhooks/${hook.id}`, undefined, 204);
    }
  });

  it('refuses URLs that are not http(s) or that reach this API itself', async () => {
    for (const url of ['ftp://example.com/hook', `http://127.0.0.1:${h.config.api.port}/api/v1/tickets`, `http://localhost:${h.config.api.port}/x`, 'not a url']) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: h.users.admin.auth, payload: { url, kinds: ['*'] } });
      expect(res.statusCode, url).toBe(422);
    }
    await call('supervisor', 'POST', '/webhooks', { url: receiver.url('/x'), kinds: ['*'] }, 403);
  });
});

describe('durable delivery', () => {
  it('sends nothing twice when the worker is killed between sending and recording: the retry carries the same Message-ID', async () => {
    // This file's in-process worker keeps polling its queues; the delivery to this address is stalled
    // inside the worker process below, which is then killed before it can record the send.
    const killer = await startMailCatcher({
      onMessage: async (mail: CaughtMail) => {
        if (mail.to.includes(target) && mail.repeats === 0) await victim?.kill();
      },
    });
    const target = `crash-${uniq()}@customer.test`;
    let victim: WorkerProcess | null = null;
    const separate = await startHarness({ worker: false, env: { ...DELIVERY_ENV, CRM_SMTP_URL: killer.url } });
    const workerEnv = { ...DELIVERY_ENV, CRM_SMTP_URL: killer.url };
    try {
      victim = await spawnWorker(separate.config, workerEnv);
      const customer = await setUpContact(separate, target);
      const opened = await separate.app.inject({
        method: 'POST', url: '/api/v1/tickets', headers: separate.users.agent.auth,
        payload: { customerId: customer, channel: 'phone', category: 'fault', priority: 'low', subject: 'Crash test', description: 'kill between send and record' },
      });
      expect(opened.statusCode, opened.body).toBe(201);
      await eventually(async () => killer.messages().filter((m) => m.to.includes(target)), (m) => m.length === 1);
      const survivor = await spawnWorker(separate.config, workerEnv);
      try {
        const [delivery] = await eventually(() => deliveriesTo(target), (rows) => rows[0]?.status === 'sent', { timeoutMs: 30_000 });
        const caught = killer.messages().filter((m) => m.to.includes(target));
        expect(caught).toHaveLength(1);
        expect(caught[0]!.repeats).toBe(1);
        expect(caught[0]!.messageId).toBe(messageIdOf(delivery!.id, 'crm.test'));
      } finally {
        await survivor.kill();
      }
    } finally {
      await victim?.kill();
      await separate.close();
      await killer.close();
    }
  });
});

async function setUpContact(harness: Harness, email: string): Promise<string> {
  const res = await harness.app.inject({
    method: 'POST', url: '/api/v1/customers', headers: harness.users.agent.auth,
    payload: { name: `Customer ${uniq()}`, kind: 'individual', tier: 'standard', creditLimit: '0.00', contacts: [{ name: 'Crash', email }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
