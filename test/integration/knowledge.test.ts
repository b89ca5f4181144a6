import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles';
import { recordTicket } from '../../db/tickets';
import type { TicketEventRecord, TicketInput } from '../../domain/processes/ticket';
import { newTicket, openTicket, resolve, ticketRecord, withPolicy } from '../../domain/processes/ticket-state';
import { setUpCustomer } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { ticketDriver } from '../helpers/tickets';

// The knowledge base (issue 17 point 3) on the real stack. Each corpus is built around a word made up for
// the test (letters only, so the English parser keeps it whole), so articles and tickets of other tests
// and files never enter a search.
let h: Harness;
let t: ReturnType<typeof ticketDriver>;

beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['tickets'] });
  t = ticketDriver(h);
});
afterAll(async () => { await h?.close(); });

/** A word no other test writes: letters only, ending in `qx`, which the English stemmer leaves alone. */
const word = () => `zq${[...uniq()].map((c) => (/\d/.test(c) ? String.fromCharCode(103 + Number(c)) : c)).join('')}qx`;
const call = async (role: Role, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, expected = 200) => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth, payload });
  expect(res.statusCode, `${method} ${url} as ${role}: ${res.body}`).toBe(expected);
  return res.json();
};
const write = (article: { title: string; body: string; category?: string; tags?: string[] }) =>
  call('knowledge_engineer', 'POST', '/articles', { category: 'consultation', ...article }, 201) as Promise<{ id: string; version: number }>;
const publish = (id: string) => call('knowledge_engineer', 'POST', `/articles/${id}/publish`, {});
const ids = (page: { items: Array<{ id: string }> }) => page.items.map((a) => a.id);
const search = async (role: Role, query: string) => ids(await call(role, 'GET', `/articles?${query.replace(/q=([^&]*)/, (_m, q: string) => `q=${encodeURIComponent(q)}`)}`));

/**
 * A corpus whose ranking is known by hand from ts_rank's weights (title A 1.0, tags B 0.4, body C 0.2):
 * title and body > title > tag > body twice > body once; a draft and an article without the word never show.
 */
async function corpus(w: string) {
  const titleAndBody = await write({ title: `${w} router reset`, body: `Unplug the ${w} for ten seconds.` });
  const title = await write({ title: `${w} lights`, body: 'What the lamps on the front mean.' });
  const tag = await write({ title: 'Firmware update', body: 'Download the image and flash it.', tags: [w, 'firmware'], category: 'fault' });
  const bodyTwice = await write({ title: 'Slow line', body: `Check the ${w} cable, then the ${w} filter.` });
  const bodyOnce = await write({ title: 'Billing cycle', body: `Invoices for the ${w} rental come monthly.`, category: 'billing' });
  const draft = await write({ title: `${w} secret draft`, body: `${w} ${w} ${w}` });
  const unrelated = await write({ title: 'Printer paper jam', body: 'Open the tray.' });
  for (const a of [titleAndBody, title, tag, bodyTwice, bodyOnce, unrelated]) await publish(a.id);
  return { titleAndBody, title, tag, bodyTwice, bodyOnce, draft, unrelated };
}

describe('articles: search and suggestions', () => {
  it('ranks published articles for the support tiers in the hand-computed order, drafts only for the knowledge engineer', async () => {
    const w = word();
    const a = await corpus(w);
    const published = [a.titleAndBody.id, a.title.id, a.tag.id, a.bodyTwice.id, a.bodyOnce.id];
    for (const role of ['agent', 'support_l2', 'supervisor'] as const) {
      expect(await search(role, `q=${w}`)).toEqual(published);
    }
    const withDraft = await call('knowledge_engineer', 'GET', `/articles?q=${w}`);
    // The draft's title and three body words outrank everything else.
    expect(ids(withDraft)).toEqual([a.draft.id, ...published]);
    const ranks = withDraft.items.map((i: { rank: number }) => i.rank);
    expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);

    expect(await search('agent', `q=${w}&category=billing`)).toEqual([a.bodyOnce.id]);
    expect(await search('agent', `tag=${w}`)).toEqual([a.tag.id]);
    expect(await search('agent', `q=${w}&status=draft`)).toEqual([]);
    expect(await search('knowledge_engineer', `q=${w}&status=draft`)).toEqual([a.draft.id]);
    expect(await search('agent', `q=${w} -reset`)).toEqual(published.slice(1));

    const first = await call('agent', 'GET', `/articles?q=${w}&limit=2`);
    const second = await call('agent', 'GET', `/articles?q=${w}&limit=2&cursor=${first.nextCursor}`);
    const third = await call('agent', 'GET', `/articles?q=${w}&limit=2&cursor=${second.nextCursor}`);
    expect([ids(first), ids(second), ids(third), third.nextCursor]).toEqual([published.slice(0, 2), published.slice(2, 4), published.slice(4), null]);
  });

  it('suggests the best-ranked published articles for what the customer reports at intake', async () => {
    const w = word();
    const a = await corpus(w);
    // Any word may match (all of them together match no article); five at most, never the draft.
    const text = `The ${w} stopped working on Monday`;
    const suggested = await call('agent', 'GET', `/articles/suggestions?text=${encodeURIComponent(text)}`);
    expect(ids(suggested)).toEqual([a.titleAndBody.id, a.title.id, a.tag.id, a.bodyTwice.id, a.bodyOnce.id]);
    expect(suggested.items[0]).toMatchObject({ title: `${w} router reset`, status: 'published', excerpt: `Unplug the ${w} for ten seconds.` });
    expect(ids(await call('agent', 'GET', `/articles/suggestions?text=${encodeURIComponent('the and of')}`))).toEqual([]);
    expect(await search('agent', `q=${w} stopped working`)).toEqual([]);
    await call('agent', 'GET', '/articles/suggestions', undefined, 400);
  });
});

describe('articles: writing', () => {
  it('keeps a draft from agents until it is published, and takes it back on unpublish', async () => {
    const draft = await write({ title: `${word()} draft`, body: 'not ready' });
    await call('agent', 'GET', `/articles/${draft.id}`, undefined, 404);
    await call('agent', 'GET', `/articles/${draft.id}/versions`, undefined, 404);
    expect(await call('knowledge_engineer', 'GET', `/articles/${draft.id}`)).toMatchObject({ status: 'draft', allowedActions: ['update', 'publish'] });

    const published = await publish(draft.id);
    expect(published).toMatchObject({ status: 'published', version: 1, allowedActions: ['update', 'unpublish'] });
    expect(await call('agent', 'GET', `/articles/${draft.id}`)).toMatchObject({ status: 'published', allowedActions: [] });
    const again = await call('knowledge_engineer', 'POST', `/articles/${draft.id}/publish`, {}, 409);
    expect(again).toMatchObject({ state: 'published', allowedActions: ['update', 'unpublish'] });

    expect(await call('knowledge_engineer', 'POST', `/articles/${draft.id}/unpublish`, {})).toMatchObject({ status: 'draft', publishedAt: null });
    await call('agent', 'GET', `/articles/${draft.id}`, undefined, 404);
  });

  it('keeps every version; a change to a stale version is refused and changes nothing', async () => {
    const w = word();
    const created = await write({ title: `${w} v1`, body: 'first text', tags: ['one'] });
    await publish(created.id);
    const v2 = await call('knowledge_engineer', 'PATCH', `/articles/${created.id}`, { version: 1, title: `${w} v2` });
    expect(v2).toMatchObject({ version: 2, title: `${w} v2`, body: 'first text', tags: ['one'], status: 'published' });
    const v3 = await call('knowledge_engineer', 'PATCH', `/articles/${created.id}`, { version: 2, body: `second text about ${w}`, tags: ['one', 'two'] });
    expect(v3).toMatchObject({ version: 3, title: `${w} v2`, body: `second text about ${w}`, tags: ['one', 'two'], status: 'published' });

    const stale = await call('knowledge_engineer', 'PATCH', `/articles/${created.id}`, { version: 2, title: 'lost update' }, 409);
    expect(stale).toMatchObject({ status: 409, version: 3 });
    const versions = await call('agent', 'GET', `/articles/${created.id}/versions`);
    expect(versions.items.map((v: { version: number; title: string; body: string; tags: string[]; editedBy: string }) => [v.version, v.title, v.body, v.tags, v.editedBy])).toEqual([
      [1, `${w} v1`, 'first text', ['one'], h.users.knowledge_engineer.id],
      [2, `${w} v2`, 'first text', ['one'], h.users.knowledge_engineer.id],
      [3, `${w} v2`, `second text about ${w}`, ['one', 'two'], h.users.knowledge_engineer.id],
    ]);
    // The search document follows the newest version.
    expect(await search('agent', `q=${w} second`)).toEqual([created.id]);
  });

  it('refuses bad input with a problem and writes nothing, and lets only knowledge engineers write', async () => {
    const before = await h.database.sql<{ n: number }[]>`select count(*)::int as n from articles`;
    await call('knowledge_engineer', 'POST', '/articles', { title: 'x', body: 'y', category: 'gossip' }, 400);
    await call('knowledge_engineer', 'POST', '/articles', { title: 'x', body: 'y', category: 'fault', tags: ['two words'] }, 400);
    await call('knowledge_engineer', 'POST', '/articles', { title: '', body: 'y', category: 'fault' }, 400);
    await call('agent', 'POST', '/articles', { title: 'x', body: 'y', category: 'fault' }, 403);
    await call('knowledge_engineer', 'PATCH', '/articles/KB-999999', { version: 1, title: 'x' }, 404);
    // A repeated create with the same Idempotency-Key answers the first draft and writes one article.
    const headers = { ...h.users.knowledge_engineer.auth, 'idempotency-key': `kb-${uniq()}` };
    const post = () => h.app.inject({ method: 'POST', url: '/api/v1/articles', headers, payload: { title: 'x', body: 'y', category: 'other' } });
    const created = (await post()).json();
    expect((await post()).json()).toEqual(created);
    await call('knowledge_engineer', 'PATCH', `/articles/${created.id}`, { version: 1 }, 400);
    await call('agent', 'PATCH', `/articles/${created.id}`, { version: 1, title: 'z' }, 403);
    const after = await h.database.sql<{ n: number }[]>`select count(*)::int as n from articles`;
    expect(after[0]!.n - before[0]!.n).toBe(1);
  });
});

describe('resolutions cite articles', () => {
  it('refuses to cite an unpublished or unknown article (422) and leaves the ticket open; cites published ones with the resolve event', async () => {
    const w = word();
    const guide = await write({ title: `${w} tariff guide`, body: 'The tariffs explained.' });
    const faq = await write({ title: `${w} tariff FAQ`, body: 'Questions.' });
    const ticket = await t.open({ category: 'consultation' });

    const refused = await t.act('agent', ticket.id, 'resolve', { resolution: 'Explained', articleIds: [guide.id, 'KB-999999'] }, 422);
    expect(refused.errors).toEqual([
      { path: '/articleIds/0', message: `${guide.id} is not a published article` },
      { path: '/articleIds/1', message: 'KB-999999 is not a published article' },
    ]);
    expect(await t.get(ticket.id)).toMatchObject({ status: 'new', citedArticles: [] });

    await publish(guide.id);
    await publish(faq.id);
    expect(await t.act('agent', ticket.id, 'resolve', { resolution: 'Explained the tariff', articleIds: [faq.id, guide.id] })).toMatchObject({ status: 'resolved' });
    const detail = await t.get(ticket.id);
    const resolveSeq = detail.timeline.find((e: { action: string }) => e.action === 'resolve').seq;
    expect(detail.citedArticles).toEqual([
      { seq: resolveSeq, articleId: guide.id, title: `${w} tariff guide` },
      { seq: resolveSeq, articleId: faq.id, title: `${w} tariff FAQ` },
    ]);
    expect(await h.database.sql`select article_id, tier from ticket_article_citations where ticket_id = ${ticket.id} order by article_id`)
      .toEqual([{ article_id: guide.id, tier: 'L1' }, { article_id: faq.id, tier: 'L1' }].sort((x, y) => x.article_id.localeCompare(y.article_id)));
    // The customer confirms: the finished history (an update carrying articleIds) is committed for the replay test.
    await t.act('agent', ticket.id, 'confirm', { satisfaction: 5 });
    await recordHistory(h.client, `ticket-${ticket.id}`, 'ticket-l1-resolved-citing-articles');
  });

  it('starts a draft from a resolved ticket: its subject, its resolution and a link back; not from an open one', async () => {
    const open = await t.open({ category: 'consultation', subject: 'Roaming in Norway', description: 'Will my plan work in Oslo?' });
    expect(await call('knowledge_engineer', 'POST', `/articles/from-ticket/${open.id}`, {}, 409)).toMatchObject({ state: 'new' });
    await t.act('agent', open.id, 'resolve', { resolution: 'Norway is in the EEA zone: roaming at home prices.' });
    await call('agent', 'POST', `/articles/from-ticket/${open.id}`, {}, 403);
    await call('knowledge_engineer', 'POST', '/articles/from-ticket/T-1999-999999', {}, 404);

    const draft = await call('knowledge_engineer', 'POST', `/articles/from-ticket/${open.id}`, {}, 201);
    expect(draft).toMatchObject({
      title: 'Roaming in Norway', body: 'Norway is in the EEA zone: roaming at home prices.', category: 'consultation', tags: [],
      status: 'draft', version: 1, sourceTicketId: open.id, createdBy: h.users.knowledge_engineer.id,
    });
    await call('agent', 'GET', `/articles/${draft.id}`, undefined, 404);
  });
});

describe('article report', () => {
  it('counts citations and L1 resolutions per article for the customers in scope, most L1 resolutions first', async () => {
    const w = word();
    const [guide, howto] = [await write({ title: `${w} guide`, body: 'a' }), await write({ title: `${w} how-to`, body: 'b' })];
    await publish(guide.id);
    await publish(howto.id);
    const customer = await setUpCustomer(h, { name: `KB customer ${uniq()}` });
    const open = (category: string) => t.open({ customerId: customer.id, category });

    // T1, T2: consultations resolved at L1 citing the how-to (T2 also the guide); T3: a fault resolved at L2 citing the guide.
    const t1 = await open('consultation');
    await t.act('agent', t1.id, 'resolve', { resolution: 'r1', articleIds: [howto.id] });
    const t2 = await open('consultation');
    await t.act('agent', t2.id, 'resolve', { resolution: 'r2', articleIds: [howto.id, guide.id] });
    const t3 = await open('fault');
    await t.act('agent', t3.id, 'escalate', { opinion: 'line test' });
    await t.act('support_l2', t3.id, 'claim');
    await t.act('support_l2', t3.id, 'resolve', { resolution: 'r3', articleIds: [guide.id] });
    // T4 resolves without citing: no row.
    const t4 = await open('consultation');
    await t.act('agent', t4.id, 'resolve', { resolution: 'r4' });

    const today = new Date().toISOString().slice(0, 10);
    const report = await call('knowledge_engineer', 'GET', `/reports/articles?customerId=${customer.id}&from=${today}&to=${today}`);
    expect(report).toEqual({
      scope: { from: today, to: today, region: null, customerId: customer.id },
      articles: [
        { articleId: howto.id, title: `${w} how-to`, status: 'published', citations: 2, l1Resolutions: 2, tickets: 2 },
        { articleId: guide.id, title: `${w} guide`, status: 'published', citations: 2, l1Resolutions: 1, tickets: 2 },
      ],
    });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await call('manager', 'GET', `/reports/articles?customerId=${customer.id}&from=${tomorrow}`)).articles).toEqual([]);
    await call('agent', 'GET', '/reports/articles', undefined, 403);
  });
});

describe('ticket full-text search', () => {
  it('finds tickets by a word of their subject, description or any note, newest first, through the GIN index', async () => {
    const [inSubject, inDescription, inNote, inInternal] = [word(), word(), word(), word()];
    const customer = await setUpCustomer(h, { name: `Search customer ${uniq()}` });
    const a = await t.open({ customerId: customer.id, category: 'consultation', subject: `${inSubject} outage`, description: `since ${inDescription} morning` });
    const b = await t.open({ customerId: customer.id, category: 'consultation', subject: 'Other', description: 'nothing special' });
    await t.act('agent', b.id, 'notes', { text: `customer mentions ${inNote} again` });
    await t.act('agent', b.id, 'notes', { text: `${inInternal} for us only`, internal: true });
    await t.act('agent', a.id, 'notes', { text: `also ${inNote}` });

    const found = async (q: string) => ids(await t.call('agent', 'GET', `/tickets?q=${encodeURIComponent(q)}`));
    expect(await found(inSubject)).toEqual([a.id]);
    expect(await found(inDescription)).toEqual([a.id]);
    expect(await found(inNote)).toEqual([b.id, a.id]);
    expect(await found(inInternal)).toEqual([b.id]);
    expect(await found(`${inNote} -${inSubject}`)).toEqual([b.id]);
    expect(await found(`${inNote} ${inSubject}`)).toEqual([a.id]);
    expect(await found(word())).toEqual([]);
    expect(ids(await t.call('agent', 'GET', `/tickets?q=${inNote}&customerId=${customer.id}&limit=1`))).toEqual([b.id]);

    // Index-backed: with sequential scans ruled out, the planner reaches the rows through the GIN indexes.
    for (const [table, index] of [['tickets', 'tickets_search_idx'], ['articles', 'articles_search_idx']]) {
      const plan = await h.database.sql.begin(async (tx) => {
        await tx`set local enable_seqscan = off`;
        return tx.unsafe(`explain select id from ${table} where search @@ websearch_to_tsquery('english', '${inNote}')`);
      });
      expect(plan.map((line) => Object.values(line)[0]).join('\n')).toContain(index);
    }
    await t.call('agent', 'GET', `/tickets?q=${'x'.repeat(501)}`, undefined, 400);
  });
});

describe('the ticket repository', () => {
  it('indexes a note and records a citation once, however often the activity recording the event is retried', async () => {
    const w = word();
    const article = await write({ title: `${w} guide`, body: 'text' });
    await publish(article.id);
    const customer = await setUpCustomer(h, { name: `Repository customer ${uniq()}` });
    const id = `T-2026-K${uniq()}`;
    const input: TicketInput = {
      number: id, customerId: customer.id, channel: 'phone', category: 'consultation', priority: 'low', subject: 'Tariff', description: 'Which tariff?',
      actor: { id: h.users.agent.id, name: 'Agent', roles: ['agent'] },
    };
    const opened = openTicket(withPolicy(newTicket(Date.now() - 60_000), {
      customerTier: 'standard', sla: { responseMs: 3_600_000, resolutionMs: 8 * 3_600_000, reminderAt: 0.8, source: 'policy' },
      calendarName: null, calendar: null, confirmationWindowMs: 3_600_000,
    }));
    const resolved = resolve(opened, 'Explained', Date.now());
    const event = (seq: number, action: string, note: string, articleIds?: string[]): TicketEventRecord => ({
      seq, action, actorId: h.users.agent.id, fromStatus: null, toStatus: 'new', fromTier: null, toTier: 'L1', note, internal: false, at: Date.now(), ...(articleIds ? { articleIds } : {}),
    });
    const record = (ticket: typeof opened, e: TicketEventRecord) => recordTicket(h.database.db, { ticket: ticketRecord(ticket, input, `ticket-${id}`), event: e }, { email: false }, null);
    await record(opened, event(0, 'open', 'Tariff'));
    for (let attempt = 0; attempt < 3; attempt++) await record(opened, event(1, 'note', `asked about ${w}`));
    for (let attempt = 0; attempt < 3; attempt++) await record(resolved, { ...event(2, 'resolve', 'Explained', [article.id]), toStatus: 'resolved' });

    const [doc] = await h.database.sql<{ positions: number }[]>`
      select coalesce(array_length((select positions from unnest(search) where lexeme = ${w}), 1), 0) as positions from tickets where id = ${id}`;
    expect(doc!.positions).toBe(1);
    expect(await h.database.sql`select seq, article_id, tier from ticket_article_citations where ticket_id = ${id}`).toEqual([{ seq: 2, article_id: article.id, tier: 'L1' }]);
    expect(ids(await t.call('agent', 'GET', `/tickets?q=${w}`))).toEqual([id]);
  });
});
