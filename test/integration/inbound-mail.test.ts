import nodemailer, { type SendMailOptions } from 'nodemailer';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../channels/mail-catcher';
import { inboundMessages } from '../../db/schema';
import type { Role } from '../../domain/roles';
import { customerWithContact } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// The e-mail channel on the real stack: nodemailer sends real mail to the inbound SMTP listener, the
// inbound workflow routes it through Temporal, and the acknowledgements leave through the mail catcher.

const MAX_BYTES = 200_000;
let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let catcher: MailCatcher;
let send: (mail: SendMailOptions) => Promise<{ messageId: string }>;

beforeAll(async () => {
  catcher = await startMailCatcher();
  h = await startHarness({
    worker: true,
    env: { CRM_SMTP_URL: catcher.url, CRM_MAIL_FROM: 'crmflow <support@crm.test>', CRM_INBOUND_SMTP_PORT: '0', CRM_INBOUND_MAX_BYTES: String(MAX_BYTES) },
  });
  t = ticketDriver(h);
  const inbound = nodemailer.createTransport({ host: '127.0.0.1', port: h.app.inboundSmtp!.port, secure: false, ignoreTLS: true });
  send = (mail) => inbound.sendMail({ to: 'support@crm.test', ...mail });
});
afterAll(async () => {
  await h?.close();
  await catcher?.close();
});

const call = async (role: Role, method: 'GET' | 'POST', url: string, payload?: object, expected = 200) => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(expected);
  return res.json();
};
const stored = async (messageId: string) => h.database.db.select().from(inboundMessages).where(eq(inboundMessages.messageId, messageId));
const settled = (messageId: string) => eventually(() => stored(messageId), (rows) => rows[0] !== undefined && rows[0].status !== 'received');

describe('mail in', () => {
  it('opens a ticket for a new message from a known contact and acknowledges it with the number', async () => {
    const { customerId, email } = await customerWithContact(h);
    const sent = await send({ from: `Carla <${email.toUpperCase()}>`, subject: 'Router keeps rebooting', text: 'Since this morning, every ten minutes.' });
    const [row] = await settled(sent.messageId);
    expect(row).toMatchObject({ status: 'processed', customerId, fromAddress: email, text: 'Since this morning, every ten minutes.' });
    // The ticket's row is written by its workflow's first step, a moment after the message is settled.
    await eventually(async () => (await h.app.inject({ method: 'GET', url: `/api/v1/tickets/${row!.ticketId}`, headers: h.users.manager.auth })).statusCode, (s) => s === 200);
    const ticket = await t.get(row!.ticketId!);
    expect(ticket).toMatchObject({ customerId, channel: 'email', category: 'other', priority: 'normal', subject: 'Router keeps rebooting', description: 'Since this morning, every ten minutes.' });
    // The entitlement verdict is taken as at a call, as of the mail's arrival: this customer has no service contract.
    expect(ticket.entitlement).toEqual({ customerId, category: 'other', at: row!.receivedAt.toISOString(), entitled: false, reason: 'no_service_contract', contract: null });
    const [ack] = await eventually(async () => catcher.messages().filter((m) => m.to.includes(email)), (m) => m.length === 1);
    expect(ack!.subject).toBe(`[${row!.ticketId}] We have received your request: Router keeps rebooting`);
  });

  it('turns a reply to our question into the customer reply, resuming the paused clock by exactly the pause, once however often it arrives', async () => {
    const { customerId, email } = await customerWithContact(h);
    const opened = await t.open({ customerId, category: 'billing' });
    await t.act('agent', opened.id, 'escalate', { opinion: 'billing dispute' });
    await t.act('support_l2', opened.id, 'claim');
    const before = await t.get(opened.id);
    await t.act('support_l2', opened.id, 'request-info', { question: 'Which invoice do you mean?' });
    const [question] = await eventually(async () => catcher.messages().filter((m) => m.to.includes(email) && m.subject.includes('A question')), (m) => m.length === 1);
    expect(question!.text).toContain('Which invoice do you mean?');

    const reply = { from: email, subject: `Re: ${question!.subject}`, inReplyTo: question!.messageId, references: [question!.messageId], messageId: `<reply-${uniq()}@customer.test>`,
      text: 'It is INV-2026-000007.\n\nOn Tue, 1 Dec 2026 at 10:00, crmflow wrote:\n> Which invoice do you mean?' };
    await send(reply);
    const [row] = await settled(reply.messageId);
    expect(row).toMatchObject({ status: 'processed', ticketId: opened.id, text: 'It is INV-2026-000007.' });
    const after = await t.get(opened.id);
    const asked = after.timeline.find((e: { action: string }) => e.action === 'request-info');
    const answered = after.timeline.find((e: { action: string }) => e.action === 'customer-reply');
    expect(answered).toMatchObject({ note: 'It is INV-2026-000007.', actorId: expect.stringMatching(/^contact:\d+$/), toStatus: 'in_progress_l2' });
    const paused = Date.parse(answered.at) - Date.parse(asked.at);
    expect(Date.parse(after.sla.resolutionDueAt)).toBe(Date.parse(before.sla.resolutionDueAt) + paused);

    await send(reply); // the relay delivers it again
    await send({ ...reply, text: 'different words, same Message-ID' });
    expect(await stored(reply.messageId)).toHaveLength(1);
    expect((await t.get(opened.id)).timeline.filter((e: { action: string }) => e.action === 'customer-reply')).toHaveLength(1);

    // A later message naming the ticket in its subject adds the customer's words as a note.
    const later = await send({ from: email, subject: `Any news? [${opened.id}]`, text: 'Still waiting.' });
    await settled(later.messageId);
    const notes = (await t.get(opened.id)).timeline.filter((e: { action: string }) => e.action === 'note');
    expect(notes.map((n: { note: string }) => n.note)).toEqual([`E-mail from ${email}: Still waiting.`]);
  });

  it('quarantines an unknown sender, a mail loop and a reply to a closed ticket, each with its reason; an agent attaches one and discards another', async () => {
    const { customerId, email } = await customerWithContact(h);
    const stranger = await send({ from: `nobody-${uniq()}@elsewhere.test`, subject: 'Hello', text: 'Who am I?' });
    const loop = await send({ from: email, subject: 'Out of office', text: 'I am away.', headers: { 'Auto-Submitted': 'auto-replied' } });
    const ours = await send({ from: 'support@crm.test', subject: 'Echo', text: 'our own mail came back' });
    const closed = await t.open({ customerId, category: 'consultation' });
    await t.act('agent', closed.id, 'resolve', { resolution: 'explained' });
    await t.act('agent', closed.id, 'confirm', { satisfaction: 5 });
    const late = await send({ from: email, subject: `Re: [${closed.id}] thanks`, text: 'One more thing.' });
    const reasons = await Promise.all([stranger, loop, ours, late].map(async (m) => (await settled(m.messageId))[0]!));
    expect(reasons.map((r) => [r.status, r.reason])).toEqual([
      ['quarantined', expect.stringMatching(/is no customer's contact$/)],
      ['quarantined', 'automatic message (Auto-Submitted: auto-replied)'],
      ['quarantined', 'sent from our own address (a mail loop)'],
      ['quarantined', `ticket ${closed.id} is closed`],
    ]);
    const listed = await call('agent', 'GET', '/inbound?status=quarantined&limit=200');
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(reasons.map((r) => String(r.id))));

    const attached = await call('agent', 'POST', `/inbound/${reasons[0]!.id}/ticket`, { customerId, category: 'consultation' }, 201);
    expect(attached.inbound).toMatchObject({ status: 'processed', customerId, ticketId: attached.ticket.id, processedBy: h.users.agent.id });
    expect(attached.ticket).toMatchObject({ status: 'new', customerId, category: 'consultation' });
    expect((await t.get(attached.ticket.id))).toMatchObject({ channel: 'email', subject: 'Hello', description: 'Who am I?' });
    await call('agent', 'POST', `/inbound/${reasons[0]!.id}/ticket`, { customerId }, 409);
    const discarded = await call('supervisor', 'POST', `/inbound/${reasons[1]!.id}/discard`, { reason: 'auto-reply' });
    expect(discarded).toMatchObject({ status: 'discarded', reason: 'auto-reply', processedBy: h.users.supervisor.id });
    await call('support_l2', 'GET', '/inbound?status=quarantined', undefined, 403);
  });

  it('refuses a message over the size limit with 552 and stores nothing of it', async () => {
    const { email } = await customerWithContact(h);
    const messageId = `<big-${uniq()}@customer.test>`;
    const error = await send({ from: email, subject: 'Huge', text: 'x'.repeat(MAX_BYTES + 1000), messageId }).catch((e: { responseCode?: number }) => e);
    expect((error as { responseCode?: number }).responseCode).toBe(552);
    expect(await stored(messageId)).toEqual([]);
  });
});

const multipartBody = (files: Array<{ name: string; type: string; bytes: Buffer }>) => {
  const boundary = `----crmflow${uniq()}`;
  const parts = files.map((f) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'),
  ]));
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
};

describe('attachments', () => {
  it('keeps the files of a message on its ticket, served as downloads, executables as opaque bytes', async () => {
    const { email } = await customerWithContact(h);
    const sent = await send({
      from: email, subject: 'Photos of the router', text: 'See attached.',
      attachments: [{ filename: 'router.txt', content: 'LED blinks red', contentType: 'text/plain' }, { filename: 'fix.exe', content: Buffer.from([0x4d, 0x5a, 0x90, 0x00]) }],
    });
    const [row] = await settled(sent.messageId);
    const listed = await eventually(() => call('agent', 'GET', `/tickets/${row!.ticketId}/attachments`), (l) => l.items.length === 2);
    expect(listed.items.map((a: Record<string, unknown>) => [a.filename, a.size, a.inboundId])).toEqual([['router.txt', 14, String(row!.id)], ['fix.exe', 4, String(row!.id)]]);
    const text = await h.app.inject({ method: 'GET', url: listed.items[0].url, headers: h.users.support_l2.auth });
    expect([text.statusCode, text.headers['content-type'], text.headers['content-disposition'], text.body]).toEqual([200, 'text/plain', `attachment; filename="router.txt"; filename*=UTF-8''router.txt`, 'LED blinks red']);
    const exe = await h.app.inject({ method: 'GET', url: listed.items[1].url, headers: h.users.agent.auth });
    expect([exe.headers['content-type'], exe.headers['content-disposition']]).toEqual(['application/octet-stream', `attachment; filename="fix.exe"; filename*=UTF-8''fix.exe`]);
    expect(exe.rawPayload).toEqual(Buffer.from([0x4d, 0x5a, 0x90, 0x00]));
  });

  it('takes staff uploads up to 10 MiB each, refuses a larger one whole, and answers clearly for a wrong ticket or body', async () => {
    const opened = await t.open();
    const upload = (role: Role, id: string, body: { payload: Buffer | string; headers: Record<string, string> }) =>
      h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/attachments`, headers: { ...h.users[role].auth, ...body.headers }, payload: body.payload });
    const ok = await upload('agent', opened.id, multipartBody([{ name: 'invoice.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4 tiny') }, { name: 'page.html', type: 'text/html', bytes: Buffer.from('<script>x</script>') }]));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().items.map((a: Record<string, unknown>) => [a.filename, a.contentType, a.uploadedBy])).toEqual([['invoice.pdf', 'application/pdf', h.users.agent.id], ['page.html', 'text/html', h.users.agent.id]]);
    const html = await h.app.inject({ method: 'GET', url: ok.json().items[1].url, headers: h.users.agent.auth });
    expect(html.headers['content-type']).toBe('application/octet-stream');

    const big = await upload('agent', opened.id, multipartBody([{ name: 'small.txt', type: 'text/plain', bytes: Buffer.from('fine') }, { name: 'big.bin', type: 'application/octet-stream', bytes: Buffer.alloc(10 * 1024 * 1024 + 1) }]));
    expect([big.statusCode, big.headers['content-type']]).toEqual([413, 'application/problem+json; charset=utf-8']);
    expect((await call('manager', 'GET', `/tickets/${opened.id}/attachments`)).items).toHaveLength(2);
    expect((await upload('agent', 'T-2026-999999', multipartBody([{ name: 'a.txt', type: 'text/plain', bytes: Buffer.from('a') }]))).statusCode).toBe(404);
    expect((await upload('agent', opened.id, { payload: '{"file":"x"}', headers: { 'content-type': 'application/json' } })).statusCode).toBe(415);
    expect((await upload('finance', opened.id, multipartBody([{ name: 'a.txt', type: 'text/plain', bytes: Buffer.from('a') }]))).statusCode).toBe(403);
  });
});
