import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { buttonsOf, cells, consoleInChromium, openFromNav } from '../helpers/console';
import { uniq } from '../helpers/harness';
import { madeUpWord, stackOnOwnDatabase } from '../helpers/own-database';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Issue 16: the knowledge engineer's articles, the supervisor's major incidents and a ticket's files, done in the
// console instead of with curl. Article search and the article report cover every article, so the file has a
// database of its own (as test/e2e/knowledge.test.ts does).
const stack = stackOnOwnDatabase();

/** The record id a page shows, from its hash (`#/articles/KB-…`). */
function idInUrl(page: Page, kind: string) {
  const { hash } = new URL(page.url());
  expect(hash.startsWith(`#/${kind}/`), hash).toBe(true);
  return decodeURIComponent(hash.slice(`#/${kind}/`.length));
}

describe.skipIf(skipBrowserTests)('articles, incidents and files in Chromium', () => {
  const chromium = consoleInChromium('desk-knowledge', () => stack.h, () => stack.base);

  it('lets a knowledge engineer write, edit and publish an article, refuses a stale edit in the API\'s words, and an agent finds it', { timeout: 150_000 }, async () => {
    const t = ticketDriver(stack.h);
    const w = madeUpWord();
    const draftOnly = await t.call('knowledge_engineer', 'POST', '/articles', { title: `${w} draft only`, body: `${w} not yet checked`, category: 'fault' }, 201);

    // Articles is the knowledge engineer's home page.
    const writer = await chromium.signIn('knowledge_engineer', 'Articles');
    await writer.getByLabel('Title').fill(`${w} router reset`);
    await writer.getByLabel('Text').fill('Unplug the router for ten seconds.');
    await writer.getByLabel('Category').selectOption('fault');
    await writer.getByLabel('Tags (separated by spaces)').fill('router reset');
    await writer.getByRole('button', { name: 'Write draft' }).click();
    await writer.getByRole('heading', { name: `${w} router reset`, level: 1 }).waitFor();
    const id = idInUrl(writer, 'articles');
    expect(id).toMatch(/^KB-/);
    await writer.locator('#article-status[data-status="draft"][data-version="1"]').waitFor();
    expect(await buttonsOf(writer)).toEqual(['update', 'publish']);

    // A second tab opens the edit form on version 1 …
    const stale = await chromium.signIn('knowledge_engineer', 'Articles');
    await stale.goto(`${stack.base}/console#/articles/${id}`);
    await stale.locator('#article-status[data-version="1"]').waitFor();
    await stale.locator('button[data-action="update"]').click();
    // … while the first saves version 2.
    await writer.locator('button[data-action="update"]').click();
    await writer.getByLabel('Text').fill('Unplug the router for thirty seconds, then wait for the green light.');
    await writer.getByRole('button', { name: 'Save as new version' }).click();
    await writer.locator('#article-status[data-version="2"]').waitFor();
    expect(await writer.locator('#toast').textContent()).toBe('Saved: the article is now at version 2.');

    await stale.getByLabel('Title').fill(`${w} router restart`);
    await stale.getByRole('button', { name: 'Save as new version' }).click();
    const refusal = `article ${id} is at version 2, not 1; read it again and repeat the change`;
    await stale.locator('#edit-article-error', { hasText: refusal }).waitFor();
    expect(await stale.locator('#edit-article-error').textContent()).toBe(`${refusal} Reload the article`);
    await screenshot(stale, '80-knowledge-stale-edit');
    await stale.getByRole('button', { name: 'Reload the article' }).click();
    await stale.locator('#article-status[data-version="2"]').waitFor();
    expect(await stale.locator('#article-body').textContent()).toBe('Unplug the router for thirty seconds, then wait for the green light.');
    expect(await stale.getByRole('heading', { level: 1 }).textContent()).toBe(`Article ${id}: ${w} router reset`);

    await writer.locator('button[data-action="publish"]').click();
    await writer.locator('#article-status[data-status="published"]').waitFor();
    expect(await writer.locator('#toast').textContent()).toBe('Publish: done. The article is now published.');
    expect(await buttonsOf(writer)).toEqual(['update', 'unpublish']);
    expect(await writer.locator('#article-versions li').evaluateAll((els) => els.map((el) => el.getAttribute('data-version')))).toEqual(['1', '2']);
    // The knowledge engineer also finds drafts, by status.
    const found = () => writer.locator('#article-results li').evaluateAll((els) => els.map((el) => el.getAttribute('data-article')));
    await openFromNav(writer, 'Articles');
    await writer.getByLabel('Search articles').fill(w);
    await writer.locator(`#article-results li[data-article="${id}"]`).waitFor();
    expect(await found()).toEqual(expect.arrayContaining([id, draftOnly.id]));
    await writer.getByLabel('Status').selectOption('draft');
    await writer.locator(`#article-results li[data-article="${id}"]`).waitFor({ state: 'detached' });
    expect(await found()).toEqual([draftOnly.id]);
    expect(await writer.locator(`li[data-article="${draftOnly.id}"] .badge`).textContent()).toBe('draft');

    const ke = stack.h.users.knowledge_engineer.id;
    expect(await t.call('knowledge_engineer', 'GET', `/articles/${id}`)).toMatchObject({
      title: `${w} router reset`, body: 'Unplug the router for thirty seconds, then wait for the green light.', category: 'fault', tags: ['router', 'reset'],
      status: 'published', version: 2, sourceTicketId: null, createdBy: ke, updatedBy: ke, publishedAt: expect.any(String),
    });
    expect((await t.call('knowledge_engineer', 'GET', `/articles/${id}/versions`)).items).toEqual([
      expect.objectContaining({ version: 1, title: `${w} router reset`, body: 'Unplug the router for ten seconds.', editedBy: ke }),
      expect.objectContaining({ version: 2, title: `${w} router reset`, body: 'Unplug the router for thirty seconds, then wait for the green light.', editedBy: ke }),
    ]);

    // An agent finds the published article, not the draft, and reads it without buttons.
    const agent = await chromium.signIn('agent', 'Front line');
    await openFromNav(agent, 'Articles');
    await agent.getByRole('heading', { name: 'Articles', level: 1 }).waitFor();
    expect(await agent.getByRole('form', { name: 'Write draft' }).count()).toBe(0);
    expect(await agent.locator('#articles-status').count()).toBe(0);
    await agent.getByLabel('Search articles').fill(w);
    await agent.locator(`#article-results li[data-article="${id}"]`).waitFor();
    expect(await agent.locator('#article-results li').evaluateAll((els) => els.map((el) => el.getAttribute('data-article')))).toEqual([id]);
    await screenshot(agent, '81-knowledge-agent-search');
    await agent.getByRole('link', { name: `${w} router reset` }).click();
    await agent.locator('#article-status[data-status="published"]').waitFor();
    expect(await buttonsOf(agent)).toEqual([]);
  });

  it('starts a draft from a resolved ticket with its subject and resolution, and reports the articles that resolved tickets at L1', { timeout: 120_000 }, async () => {
    const t = ticketDriver(stack.h);
    const w = madeUpWord();
    const cited = await t.call('knowledge_engineer', 'POST', '/articles', { title: `${w} roaming settings`, body: 'Data roaming is switched on in the portal.', category: 'consultation' }, 201);
    await t.call('knowledge_engineer', 'POST', `/articles/${cited.id}/publish`, {});
    const subject = `No mobile data abroad ${w}`;
    // Usage complaints go to L2; a consultation may be resolved at the first line.
    const ticket = await t.open({ category: 'consultation', subject, description: 'No data in Spain' });
    await t.act('agent', ticket.id, 'resolve', { resolution: 'Switched on data roaming in the customer portal', articleIds: [cited.id] });
    // Citations are recorded by the ticket's workflow after the resolution.
    await eventually(() => t.call('knowledge_engineer', 'GET', '/reports/articles'), (r) => r.articles.length > 0);

    const page = await chromium.signIn('knowledge_engineer', 'Articles');
    await page.locator(`#article-report tr[data-key="${cited.id}"]`).waitFor();
    expect(await cells(page, '#article-report tbody tr')).toEqual([[cited.id, `${w} roaming settings`, 'published', '1', '1', '1']]);

    await page.goto(`${stack.base}/console#/tickets/${ticket.id}`);
    await page.locator('#ticket-status[data-status="resolved"]').waitFor();
    await page.getByRole('button', { name: 'Draft an article' }).click();
    // The ticket's own heading ends in its subject too: wait for the article's.
    await page.getByRole('heading', { name: new RegExp(`^Article KB-\\S+: ${subject}$`), level: 1 }).waitFor();
    const id = idInUrl(page, 'articles');
    expect(id).not.toBe(cited.id);
    expect(await page.getByRole('link', { name: ticket.id }).getAttribute('href')).toBe(`#/tickets/${ticket.id}`);
    await screenshot(page, '82-knowledge-draft-from-ticket');
    expect(await t.call('knowledge_engineer', 'GET', `/articles/${id}`)).toMatchObject({
      id, title: subject, body: 'Switched on data roaming in the customer portal', category: 'consultation', tags: [], status: 'draft', version: 1,
      sourceTicketId: ticket.id, createdBy: stack.h.users.knowledge_engineer.id, publishedAt: null,
    });
  });

  it('lets a supervisor declare and resolve a major incident that an agent attached a ticket to', { timeout: 150_000 }, async () => {
    const t = ticketDriver(stack.h);
    const summary = `Fibre cut in the north ring ${uniq()}`;
    const ticket = await t.open({ category: 'fault', subject: 'No internet since noon' });

    const supervisor = await chromium.signIn('supervisor', 'Queue');
    await openFromNav(supervisor, 'Incidents');
    await supervisor.getByRole('heading', { name: 'Major incidents', level: 1 }).waitFor();
    await supervisor.getByLabel(/^Summary/).fill(summary);
    await supervisor.getByLabel('Category').selectOption('fault');
    await supervisor.getByLabel('Region').fill('North');
    await supervisor.getByRole('button', { name: 'Declare incident' }).click();
    await supervisor.getByRole('heading', { name: `: ${summary}`, level: 1 }).waitFor();
    const id = idInUrl(supervisor, 'incidents');
    await supervisor.locator('#incident-status[data-status="open"]').waitFor();
    expect(await buttonsOf(supervisor)).toEqual(['attach', 'resolve']);

    // The agent may attach, not resolve; an unknown ticket is refused in the API's words, the form stays.
    const agent = await chromium.signIn('agent', 'Front line');
    await agent.goto(`${stack.base}/console#/incidents/${id}`);
    await agent.locator('#incident-status[data-status="open"]').waitFor();
    expect(await buttonsOf(agent)).toEqual(['attach']);
    await agent.locator('button[data-action="attach"]').click();
    await agent.getByLabel(/^Ticket number/).fill('T-1999-999999');
    await agent.getByRole('form', { name: 'Attach a ticket' }).getByRole('button', { name: 'Attach a ticket' }).click();
    await agent.locator('#action-error', { hasText: 'ticket T-1999-999999 does not exist' }).waitFor();
    expect(await agent.locator('#action-error').textContent()).toBe('ticket T-1999-999999 does not exist — /ticketId: unknown ticket');
    await agent.getByLabel(/^Ticket number/).fill(ticket.id);
    await agent.getByRole('form', { name: 'Attach a ticket' }).getByRole('button', { name: 'Attach a ticket' }).click();
    await agent.locator('#toast', { hasText: 'Attach a ticket: done.' }).waitFor();
    expect(await agent.locator('#toast').textContent()).toBe('Attach a ticket: done. The incident is open with 1 ticket(s).');
    // Listed at once, from the incident; its row once the ticket has recorded the hold.
    await agent.getByRole('link', { name: ticket.id, exact: true }).waitFor();

    // The ticket's clock shows the hold, and links to the incident.
    await eventually(() => t.get(ticket.id), (d) => d.live?.sla.pauseReason === 'major incident');
    await agent.goto(`${stack.base}/console#/tickets/${ticket.id}`);
    await agent.getByText(`paused: major incident ${id}`, { exact: true }).waitFor();
    expect(await agent.getByRole('link', { name: id, exact: true }).getAttribute('href')).toBe(`#/incidents/${id}`);

    await supervisor.getByRole('button', { name: 'Refresh' }).click();
    await supervisor.locator(`tr[data-ticket="${ticket.id}"]`).waitFor();
    await supervisor.locator('button[data-action="resolve"]').click();
    await supervisor.getByLabel(/^Resolution/).fill('Fibre spliced at the north ring');
    await supervisor.getByRole('form', { name: 'Resolve incident' }).getByRole('button', { name: 'Resolve incident' }).click();
    await supervisor.locator('#incident-status[data-status="resolved"]').waitFor();
    expect(await buttonsOf(supervisor)).toEqual([]);
    await screenshot(supervisor, '83-incident-resolved');

    const resolved = await eventually(() => t.get(ticket.id), (d) => d.status === 'resolved');
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Fibre spliced at the north ring', incidentId: id });
    expect(resolved.timeline.find((e: { action: string }) => e.action === 'resolve')).toMatchObject({
      actorId: stack.h.users.supervisor.id, note: `Fibre spliced at the north ring (major incident ${id})`,
    });
    expect(resolved.timeline.find((e: { action: string }) => e.action === 'incident-attach')).toMatchObject({ actorId: stack.h.users.agent.id });
    expect(await t.call('manager', 'GET', `/incidents/${id}`)).toMatchObject({
      summary, category: 'fault', region: 'North', status: 'resolved', ticketIds: [ticket.id], resolution: 'Fibre spliced at the north ring',
      createdBy: stack.h.users.supervisor.id,
    });
  });

  it('uploads a file to a ticket and downloads it byte for byte', { timeout: 90_000 }, async () => {
    const t = ticketDriver(stack.h);
    const ticket = await t.open();
    // Every byte value, so nothing on the way may treat the file as text.
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

    const agent = await chromium.signIn('agent', 'Front line');
    await agent.goto(`${stack.base}/console#/tickets/${ticket.id}`);
    await agent.locator('#ticket-status[data-status="new"]').waitFor();
    await agent.locator('#attachments, p#attachments').first().waitFor();
    await agent.getByLabel('Files (up to 10 MiB each)').setInputFiles({ name: 'line-trace.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await agent.getByRole('button', { name: 'Upload' }).click();
    await agent.locator('#attachments tbody tr').waitFor();
    expect(await agent.locator('#toast').textContent()).toBe('Attached: line-trace.bin.');
    expect(await cells(agent, '#attachments tbody tr')).toEqual([['line-trace.bin', '2.9 KiB', 'application/octet-stream', expect.stringMatching(/ by you$/)]]);
    await screenshot(agent, '84-ticket-attachments');

    const [download] = await Promise.all([agent.waitForEvent('download'), agent.getByRole('button', { name: 'line-trace.bin' }).click()]);
    expect(download.suggestedFilename()).toBe('line-trace.bin');
    expect((await readFile(await download.path())).equals(bytes)).toBe(true);

    expect((await t.call('manager', 'GET', `/tickets/${ticket.id}/attachments`)).items).toEqual([expect.objectContaining({
      filename: 'line-trace.bin', size: 3000, sha256: createHash('sha256').update(bytes).digest('hex'), uploadedBy: stack.h.users.agent.id, inboundId: null,
    })]);

    // A knowledge engineer, who writes no notes, reads the files without an upload form.
    const reader = await chromium.signIn('knowledge_engineer', 'Articles');
    await reader.goto(`${stack.base}/console#/tickets/${ticket.id}`);
    await reader.locator('#attachments tbody tr').waitFor();
    expect(await reader.getByRole('form', { name: 'Attach files' }).count()).toBe(0);
    const [again] = await Promise.all([reader.waitForEvent('download'), reader.getByRole('button', { name: 'line-trace.bin' }).click()]);
    expect((await readFile(await again.path())).equals(bytes)).toBe(true);
  });
});
