import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CSP } from '../../api/portal-page';
import { startMailCatcher, type MailCatcher } from '../../channels/mail-catcher';
import { customerContacts, notificationOutbox, portalTokens, users } from '../../db/schema';
import { startHarness, type Harness } from '../helpers/harness';
import { customerWithContact } from '../helpers/customers';
import { mailsTo, questionLink, resolutionLinks, resolvedTicket } from '../helpers/portal';
import { overrideSettings } from '../helpers/settings';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// The customer's portal on the real stack: the resolution and question mails leave through the mail
// catcher with their links, and every answer on the page goes through the ticket's workflow Updates.

let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let catcher: MailCatcher;

beforeAll(async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ worker: true, env: { CRM_SMTP_URL: catcher.url, CRM_PUBLIC_URL: 'https://help.crm.test' } });
  t = ticketDriver(h);
});
afterAll(async () => {
  await h?.close();
  await catcher?.close();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const page = (path: string) => h.app.inject({ method: 'GET', url: path });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: path, headers: { ...FORM, ...headers }, payload: new URLSearchParams(form).toString() });
const contactIdOf = async (email: string) => (await h.database.db.select({ id: customerContacts.id }).from(customerContacts).where(eq(customerContacts.email, email)))[0]!.id;
const lastEvent = async (id: string) => (await t.get(id)).timeline.at(-1);

describe('the resolution link', () => {
  it('shows only the subject and the resolution, under a strict policy, and keeps only the hash of the token', async () => {
    const r = await resolvedTicket(h, catcher, 'Reset the <modem> & "router".');
    expect(r.mail.html).toContain(`<a href="${r.links.solved}" style="color: #1d4ed8">${r.links.solved}</a>`);
    expect(r.mail.html).toContain(`<a href="${r.links.notSolved}" style="color: #1d4ed8">${r.links.notSolved}</a>`);
    const res = await page(r.links.path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(PORTAL_CSP);
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain(`<h1>Your request: ${r.subject}</h1>`);
    expect(res.body).toContain('<p class="notice text">Reset the &lt;modem&gt; &amp; &quot;router&quot;.</p>');
    expect(res.body).not.toContain(r.id);
    expect(res.body).not.toContain(r.email);
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain(`<form method="post" action="/portal/t/${r.links.token}/solved">`);
    expect(res.body).toContain(`<form method="post" action="/portal/t/${r.links.token}/not-solved">`);

    const rows = await h.database.db.select().from(portalTokens).where(eq(portalTokens.ticketId, r.id));
    expect(rows.map((row) => ({ hash: row.tokenHash.toString('hex'), purpose: row.purpose, contactId: row.contactId }))).toEqual([
      { hash: createHash('sha256').update(r.links.token).digest('hex'), purpose: 'resolution', contactId: await contactIdOf(r.email) },
    ]);
    const view = await t.get(r.id);
    expect(rows[0]!.expiresAt.toISOString()).toBe(view.live.sla.confirmationDueAt);
    const [leaks] = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(notificationOutbox).where(sql`${notificationOutbox.data}::text like ${`%${r.links.token}%`}`);
    expect(leaks!.n).toBe(0);
  });

  it('closes the ticket with the score and comment, as the contact, once however often the form is sent', async () => {
    const r = await resolvedTicket(h, catcher);
    const res = await post(`${r.links.path}/solved`, { satisfaction: '4', comment: 'Quick help, thanks' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Thank you for your rating. Your request is closed.');
    const closed = await t.get(r.id);
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 4, supervisorAttention: false });
    expect(await lastEvent(r.id)).toMatchObject({ action: 'confirm', actorId: `contact:${await contactIdOf(r.email)}`, actorName: 'Carla Customer (customer)', note: 'Quick help, thanks' });

    const again = await post(`${r.links.path}/solved`, { satisfaction: '1' });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('You have already answered through this link. Thank you.');
    expect((await page(r.links.path)).statusCode).toBe(410);
    expect((await t.get(r.id)).satisfaction).toBe(4);
  });

  it('reopens the ticket one tier up with the reason when it is not solved', async () => {
    const r = await resolvedTicket(h, catcher);
    const res = await post(`${r.links.path}/not-solved`, { reason: 'Still charged twice this month' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('We have reopened your request and will continue working on it.');
    expect(await t.get(r.id)).toMatchObject({ status: 'escalated_l2', tier: 'L2', reopens: 1, resolution: null });
    expect(await lastEvent(r.id)).toMatchObject({ action: 'reject', actorId: `contact:${await contactIdOf(r.email)}`, note: 'Still charged twice this month', fromTier: 'L1', toTier: 'L2' });
  });

  it('sends an incomplete form back with what is missing and changes nothing', async () => {
    const r = await resolvedTicket(h, catcher);
    const res = await post(`${r.links.path}/solved`, { comment: 'forgot <the> score' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<p class="error" role="alert" id="solved-error">Please choose a score from 1 to 5.</p>');
    expect(res.body).toContain('<textarea id="comment" name="comment" maxlength="2000">forgot &lt;the&gt; score</textarea>');
    const bodiless = await h.app.inject({ method: 'POST', url: `${r.links.path}/not-solved` });
    expect([bodiless.statusCode, bodiless.headers['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
    expect(bodiless.body).toContain('Something went wrong. Please try again later.');
    expect((await t.get(r.id)).status).toBe('resolved');
  });

  it('flags a score of 2 for supervisor attention and mails the supervisors', async () => {
    const r = await resolvedTicket(h, catcher);
    expect((await post(`${r.links.path}/solved`, { satisfaction: '2', comment: 'Took far too long' })).statusCode).toBe(200);
    expect(await t.get(r.id)).toMatchObject({ status: 'closed', satisfaction: 2, supervisorAttention: true });
    const [supervisor] = await h.database.db.select({ email: users.email }).from(users).where(eq(users.id, h.users.supervisor.id));
    const [mail] = await mailsTo(catcher, supervisor!.email, `[${r.id}] Low satisfaction`);
    expect(mail!.subject).toBe(`[${r.id}] Low satisfaction: ${r.subject}`);
    expect(mail!.text).toBe(`The customer confirmed the resolution of ticket ${r.id} with a score of 2 out of 5. The ticket is flagged for supervisor attention.\n\n`
      + `Comment: Took far too long\n\nOpen in crmflow: https://help.crm.test/console/#/tickets/${r.id}\n`);
  });

  it('kills the first link when the ticket is reopened and resolved again, and the new link works', async () => {
    const r = await resolvedTicket(h, catcher);
    await t.act('agent', r.id, 'reject', { reason: 'Customer called: still wrong' });
    await t.act('support_l2', r.id, 'claim');
    await t.act('support_l2', r.id, 'resolve', { resolution: 'Refunded the second charge.' });
    const second = (await mailsTo(catcher, r.email, `[${r.id}] Your request is resolved`, 2)).find((m) => m.messageId !== r.mail.messageId);
    expect(second!.text).toContain('Refunded the second charge.');
    const fresh = resolutionLinks(second!, h.config.notifications.publicUrl);
    expect(fresh.token).not.toBe(r.links.token);

    const old = await page(r.links.path);
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('This link is no longer valid: your request has moved on since we sent it.');
    expect((await post(`${r.links.path}/solved`, { satisfaction: '5' })).statusCode).toBe(410);
    expect(await t.get(r.id)).toMatchObject({ status: 'resolved', satisfaction: null });

    const current = await page(fresh.path);
    expect(current.body).toContain('<p class="notice text">Refunded the second charge.</p>');
    expect((await post(`${fresh.path}/solved`, { satisfaction: '5' })).statusCode).toBe(200);
    expect(await t.get(r.id)).toMatchObject({ status: 'closed', satisfaction: 5 });
  });

  it("survives an edit of the customer's contacts that keeps the address, and dies with the contact removed", async () => {
    const r = await resolvedTicket(h, catcher);
    const edit = async (contacts: object[]) => {
      const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/customers/${r.customerId}`, headers: h.users.supervisor.auth, payload: { contacts } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const rows = () => h.database.db.select().from(customerContacts).where(eq(customerContacts.customerId, r.customerId)).orderBy(customerContacts.id);
    const id = await contactIdOf(r.email);
    const colleague = `lea-${r.email}`;
    // Renamed, written in capitals and joined by a colleague: the same contact, its id and its link kept.
    await edit([{ name: 'Lea Colleague', email: colleague }, { name: 'Carla Customer-Berg', email: r.email.toUpperCase(), phone: '+49 30 1234' }]);
    const edited = await rows();
    expect(edited.map(({ id: rowId, name, email, phone }) => ({ rowId, name, email, phone }))).toEqual([
      { rowId: id, name: 'Carla Customer-Berg', email: r.email.toUpperCase(), phone: '+49 30 1234' },
      { rowId: expect.any(Number), name: 'Lea Colleague', email: colleague, phone: null },
    ]);
    expect((await page(r.links.path)).statusCode).toBe(200);

    await edit([{ name: 'Lea Colleague', email: colleague }]);
    expect((await rows()).map((row) => row.id)).toEqual([edited[1]!.id]);
    expect((await page(r.links.path)).statusCode).toBe(410);
    expect((await post(`${r.links.path}/solved`, { satisfaction: '5' })).statusCode).toBe(410);
    expect(await t.get(r.id)).toMatchObject({ status: 'resolved', satisfaction: null });
  });

  it('answers an altered or made-up token with 404 and changes nothing', async () => {
    const r = await resolvedTicket(h, catcher);
    const last = r.links.token.at(-1) === 'A' ? 'B' : 'A';
    for (const path of [`/portal/t/${r.links.token.slice(0, -1)}${last}`, '/portal/t/not-a-token', `/portal/t/${r.links.token}x`]) {
      const res = await page(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.body).toContain('This link is not valid. Please check that you opened the complete link from our e-mail.');
      expect((await post(`${path}/solved`, { satisfaction: '5' })).statusCode).toBe(404);
    }
    expect(await t.get(r.id)).toMatchObject({ status: 'resolved', satisfaction: null });
  });

  it('refuses a form sent from another site and changes nothing', async () => {
    const r = await resolvedTicket(h, catcher);
    const forged = await post(`${r.links.path}/solved`, { satisfaction: '1' }, { origin: 'https://evil.example' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('This form can only be sent from its own page.');
    expect((await post(`${r.links.path}/solved`, { satisfaction: '1' }, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await t.get(r.id)).status).toBe('resolved');
    expect((await post(`${r.links.path}/solved`, { satisfaction: '5' }, { origin: 'https://help.crm.test', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });
});

describe('an expired link', () => {
  it('says it expired when the confirmation window has passed, and changes nothing', async () => {
    const restore = await overrideSettings(h, { 'ticket.confirmationWindow': '3s' });
    const r = await resolvedTicket(h, catcher).finally(restore);
    // The window's end closes the ticket by the clock (satisfaction none); the link says why it is dead.
    await eventually(() => t.get(r.id), (ticket) => ticket.status === 'closed');
    const res = await page(r.links.path);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('This link has expired. If your request still needs attention, please reply to our e-mail.');
    const before = (await t.get(r.id)).timeline.length;
    expect((await post(`${r.links.path}/solved`, { satisfaction: '5' })).statusCode).toBe(410);
    expect(await t.get(r.id)).toMatchObject({ status: 'closed', satisfaction: null });
    expect((await t.get(r.id)).timeline.length).toBe(before);
  });
});

describe('in the customer\'s language', () => {
  it('words the mail, the page and its refusals in German for a German customer', async () => {
    const contact = await customerWithContact(h, 'de');
    const opened = await t.open({ customerId: contact.customerId, category: 'billing', subject: 'Doppelte Abbuchung' });
    await t.act('agent', opened.id, 'resolve', { resolution: 'Wir haben 12,50 EUR gutgeschrieben.' });
    const [mail] = await mailsTo(catcher, contact.email, `[${opened.id}] Ihre Anfrage ist gelöst`);
    const solved = /^Gelöst\? Bitte bewerten Sie unsere Hilfe \(1 bis 5\): (\S+)$/m.exec(mail!.text)?.[1];
    const path = new URL(solved!).pathname;
    expect(solved).toBe(`https://help.crm.test${path}#solved`);
    expect(mail!.text).toContain(`Nicht gelöst? Sagen Sie uns, was fehlt, und wir machen weiter: https://help.crm.test${path}#not-solved`);

    const shown = await page(path);
    expect(shown.body).toContain('<html lang="de">');
    expect(shown.body).toContain('<h1>Ihre Anfrage: Doppelte Abbuchung</h1>');
    expect(shown.body).toContain('<h2>Unsere Lösung</h2>');
    const incomplete = await post(`${path}/not-solved`, { reason: '  ' });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.body).toContain('<p class="error" role="alert" id="not-solved-error">Bitte sagen Sie uns, was noch nicht funktioniert.</p>');
    const forged = await post(`${path}/not-solved`, { reason: 'x' }, { origin: 'https://evil.example' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Dieses Formular kann nur von seiner eigenen Seite gesendet werden.');
    expect((await t.get(opened.id)).status).toBe('resolved');
  });
});

describe('the rate limit', () => {
  it('applies to the pages as to the API, with a page that says so', async () => {
    const limited = await startHarness({ env: { CRM_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await limited.app.inject({ method: 'GET', url: '/portal/t/not-a-token' }));
      expect(statuses.map((res) => res.statusCode)).toEqual([404, 404, 429]);
      expect(statuses[2]!.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(statuses[2]!.body).toContain('Too many requests. Please wait a minute and try again.');
    } finally {
      await limited.close();
    }
  });
});

describe('the question link', () => {
  it('records the answer as the customer reply and resumes the ticket', async () => {
    const contact = await customerWithContact(h);
    const opened = await t.open({ customerId: contact.customerId, category: 'billing' });
    await t.act('agent', opened.id, 'escalate', { opinion: 'billing dispute' });
    await t.act('support_l2', opened.id, 'claim');
    await t.act('support_l2', opened.id, 'request-info', { question: 'Which invoice do you mean?' });
    const [mail] = await mailsTo(catcher, contact.email, `[${opened.id}] A question about your request`);
    const link = questionLink(mail!, h.config.notifications.publicUrl);

    const shown = await page(link.path);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('<p class="notice text">Which invoice do you mean?</p>');
    expect((await post(`${link.path}/solved`, { satisfaction: '5' })).statusCode).toBe(404);
    const res = await post(`${link.path}/answer`, { text: 'INV-2026-000007' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Thank you for your answer. We continue working on your request.');
    expect(await lastEvent(opened.id)).toMatchObject({ action: 'customer-reply', actorId: `contact:${await contactIdOf(contact.email)}`, note: 'INV-2026-000007', toStatus: 'in_progress_l2' });
  });
});
