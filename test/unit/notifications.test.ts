import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { kindFields, LANGUAGES, render, templateFields } from '../../channels/render';
import { signWebhook, webhookUrlRefusal } from '../../channels/webhook';
import { ConfigError, loadConfig } from '../../config';
import {
  isPermanentHttpRefusal, isPermanentSmtpRefusal, KINDS, preferenceKey, wants,
} from '../../domain/notifications';
import { portalLinks, portalPurposeOf } from '../../domain/portal';
import { contractEventNotifications, ticketEventNotifications } from '../../domain/processes/notifications';
import type { ContractEventRecord, ContractRecord } from '../../domain/processes/contract';
import type { TicketEventRecord, TicketRecord } from '../../domain/processes/ticket';

const sample = (kind: (typeof KINDS)[number]) => Object.fromEntries(kindFields(kind).map((field) => [field, field === 'number' ? 'T-2026-000123' : `<${field}>`]));

describe('templates', () => {
  it('has a template for every kind in every language, using only the fields (and customer links) its kind carries', () => {
    expect(LANGUAGES).toEqual(['de', 'en']);
    for (const language of LANGUAGES) {
      for (const kind of KINDS) {
        const used = templateFields(language, kind);
        expect(used.filter((field) => !kindFields(kind).includes(field)), `${language}/${kind}`).toEqual([]);
        const words = render(kind, language, sample(kind), null);
        expect(words.subject.startsWith('[T-2026-000123] '), `${language}/${kind}: ${words.subject}`).toBe(true);
        expect(`${words.subject}${words.text}${words.html}`).not.toMatch(/\{\{/);
      }
    }
  });

  it('escapes the data in the HTML part, keeps it as written in the text, and falls back to English', () => {
    const words = render('ticket.resolved', 'fr', {
      number: 'T-2026-000001', subject: 'a <b> & "c"', resolution: 'Reset <script>x</script>', solvedUrl: 'https://crm.example/portal/t/x#solved', notSolvedUrl: 'https://crm.example/portal/t/x#not-solved',
    }, 'https://crm.example/console/#/tickets/T-2026-000001');
    expect(words.subject).toBe('[T-2026-000001] Your request is resolved: a <b> & "c"');
    expect(words.text).toContain('Reset <script>x</script>');
    expect(words.text).toContain('Open in crmflow: https://crm.example/console/#/tickets/T-2026-000001');
    expect(words.html).toContain('Reset &lt;script&gt;x&lt;/script&gt;');
    expect(words.html).not.toContain('<script>');
    expect(words.html).toContain('<a href="https://crm.example/console/#/tickets/T-2026-000001"');
    expect(words.text).toContain('Solved? Please rate our help (1 to 5): https://crm.example/portal/t/x#solved\n');
    expect(words.html).toContain('Solved? Please rate our help (1 to 5): <a href="https://crm.example/portal/t/x#solved" style="color: #1d4ed8">https://crm.example/portal/t/x#solved</a></p>');
  });

  it('refuses to render a notification that lacks a field its template uses', () => {
    expect(() => render('ticket.opened', 'en', { number: 'T-2026-000001' }, null)).toThrow(/\{\{subject\}\}/);
  });
});

describe('Standard Webhooks signature', () => {
  it('is verified by the standardwebhooks reference implementation, and a changed body is not', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'ticket.escalated', data: { number: 'T-2026-000001' } });
    const headers = { 'webhook-id': 'msg_crmflow_7', 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, 'msg_crmflow_7', timestamp, body) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('000001', '000002'), headers)).toThrow();
  });

  it('refuses URLs other than http(s) and ones that reach the API itself', async () => {
    expect(await webhookUrlRefusal('ftp://example.com/x', 3000)).toBe('must be an http or https URL');
    expect(await webhookUrlRefusal('http://user:pw@example.com/x', 3000)).toBe('must not carry credentials');
    expect(await webhookUrlRefusal('http://localhost:3000/api', 3000)).toBe("resolves to this API's own port 3000");
    expect(await webhookUrlRefusal('http://127.0.0.1:3000/api', 3000)).toBe("resolves to this API's own port 3000");
    expect(await webhookUrlRefusal('http://127.0.0.1:3001/hook', 3000)).toBeNull();
  });
});

describe('who gets what', () => {
  it('lets a user turn a channel off, except breaches and VIP intake for supervisors', () => {
    const off = new Set([preferenceKey('ticket.sla_breached', 'email'), preferenceKey('ticket.escalated', 'inbox')]);
    expect(wants('ticket.sla_breached', 'email', ['supervisor'], off)).toBe(true);
    expect(wants('ticket.sla_breached', 'email', ['manager'], off)).toBe(false);
    expect(wants('ticket.escalated', 'inbox', ['support_l2'], off)).toBe(false);
    expect(wants('ticket.escalated', 'email', ['support_l2'], off)).toBe(true);
  });

  it('tells permanent refusals from passing trouble', () => {
    expect([550, 553, 421, 451, undefined].map(isPermanentSmtpRefusal)).toEqual([true, true, false, false, false]);
    expect([410, 404, 500, 503].map(isPermanentHttpRefusal)).toEqual([true, false, false, false]);
  });

  const ticket = { id: 'T-2026-000009', customerId: 'CUS-000001', subject: 'Line down', priority: 'high', resolution: null } as unknown as TicketRecord;
  const event = (e: Partial<TicketEventRecord>): TicketEventRecord => ({ seq: 2, action: 'escalate', actorId: 'U-1', fromStatus: 'new', toStatus: 'escalated_l2', fromTier: 'L1', toTier: 'L2', note: null, internal: false, at: 0, ...e });

  it('derives the queue entry, the customer question and the acknowledgement from ticket records', () => {
    expect(ticketEventNotifications(ticket, event({ note: 'needs a technician' }))).toEqual([{
      dedupeKey: 'ticket:T-2026-000009:escalated:2', kind: 'ticket.escalated', audience: ['tier:L2'], resource: { type: 'ticket', id: 'T-2026-000009' },
      data: { number: 'T-2026-000009', subject: 'Line down', priority: 'high', tier: 'L2', reason: 'needs a technician' },
    }]);
    expect(ticketEventNotifications(ticket, event({ action: 'reassign', fromTier: 'L2', toTier: 'L1' }))).toEqual([]);
    expect(ticketEventNotifications(ticket, event({ action: 'request-info', fromTier: 'L2', toTier: 'L2', note: 'Which invoice?' })).map((n) => [n.kind, n.audience, n.data.question]))
      .toEqual([['ticket.customer_question', ['customer:CUS-000001'], 'Which invoice?']]);
    expect(ticketEventNotifications(ticket, event({ seq: 1, action: 'open', fromStatus: null, fromTier: null, toTier: 'L1' })).map((n) => n.kind)).toEqual(['ticket.opened']);
  });

  it('tells the supervisors of a confirmation with a score of 1 or 2, whoever recorded it', () => {
    const confirmed = (satisfaction: number) => ({ ...ticket, satisfaction }) as TicketRecord;
    const confirm = event({ seq: 6, action: 'confirm', fromStatus: 'resolved', toStatus: 'closed', fromTier: 'L2', toTier: 'L2', note: 'too slow' });
    expect(ticketEventNotifications(confirmed(2), confirm)).toEqual([{
      dedupeKey: 'ticket:T-2026-000009:low-satisfaction:6', kind: 'ticket.low_satisfaction', audience: ['role:supervisor'], resource: { type: 'ticket', id: 'T-2026-000009' },
      data: { number: 'T-2026-000009', subject: 'Line down', satisfaction: 2, comment: 'too slow' },
    }]);
    expect(ticketEventNotifications(confirmed(1), { ...confirm, note: null }).map((n) => n.data.comment)).toEqual(['—']);
    expect(ticketEventNotifications(confirmed(3), confirm)).toEqual([]);
  });

  it('asks the role of each approval step that becomes current, and nobody once the chain is through', () => {
    const contract = (awaiting: string | null) => ({ id: 'C-2026-000004', awaiting } as unknown as ContractRecord);
    const step = (action: string): ContractEventRecord => ({ seq: 5, action, actorId: 'U-1', fromStatus: 'pending_approval', toStatus: 'pending_approval', note: null, at: 0 });
    expect(contractEventNotifications(contract('finance'), step('approve'))).toEqual([{
      dedupeKey: 'contract:C-2026-000004:approval-requested:5', kind: 'contract.approval_requested', audience: ['role:finance'],
      resource: { type: 'contract', id: 'C-2026-000004' }, data: { number: 'C-2026-000004', role: 'finance' },
    }]);
    expect(contractEventNotifications(contract(null), step('approve'))).toEqual([]);
    expect(contractEventNotifications(contract('legal'), step('sign'))).toEqual([]);
  });
});

describe('portal links', () => {
  it('point at the one page of a token, the resolution\'s two answers by their fragment', () => {
    expect(portalLinks('resolution', 'https://help.example', 'tok')).toEqual({ solvedUrl: 'https://help.example/portal/t/tok#solved', notSolvedUrl: 'https://help.example/portal/t/tok#not-solved' });
    expect(portalLinks('question', 'https://help.example', 'tok')).toEqual({ answerUrl: 'https://help.example/portal/t/tok' });
    expect(['ticket.resolved', 'ticket.customer_question', 'ticket.opened'].map(portalPurposeOf)).toEqual(['resolution', 'question', null]);
  });

  it('take CRM_PORTAL_KEY only when it has at least 32 bytes', () => {
    expect(loadConfig({ CRM_PORTAL_KEY: Buffer.alloc(32, 7).toString('base64') }).portal.key).toEqual(Buffer.alloc(32, 7));
    expect(loadConfig({}).portal.key).toBeNull();
    expect(() => loadConfig({ CRM_PORTAL_KEY: Buffer.alloc(16).toString('base64') })).toThrow('CRM_PORTAL_KEY must be base64 of at least 32 random bytes, got 16');
  });
});

describe('CRM_SMTP_URL', () => {
  it('takes smtp and smtps URLs and refuses anything else without repeating the password', () => {
    expect(loadConfig({ CRM_SMTP_URL: 'smtps://user:secret@mail.example:465' }).notifications.smtpUrl).toBe('smtps://user:secret@mail.example:465');
    expect(loadConfig({}).notifications.smtpUrl).toBeNull();
    expect(() => loadConfig({ CRM_SMTP_URL: 'http://user:secret@mail.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ CRM_SMTP_URL: 'http://user:secret@mail.example' })).toThrow('got "http://user:***@mail.example"');
    expect(() => loadConfig({ CRM_SMTP_URL: 'mail.example:25' })).toThrow(ConfigError);
  });

  it('stops npm start with one clear line, not a stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('scripts/start.ts')], {
      env: { ...process.env, CRM_SMTP_URL: 'http://user:secret@mail.example', CRM_DATA_DIR: '/tmp/crmflow-bad-smtp' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['[crmflow] failed to start: CRM_SMTP_URL must look like smtp://host:port or smtps://user:password@host:465, got "http://user:***@mail.example"']);
  }, 60_000);
});
