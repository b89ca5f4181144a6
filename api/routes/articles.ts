import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  allocateArticleId, articleHistory, createArticle, getArticle, lockArticle, reviseArticle, searchArticles, setArticleStatus, suggestArticles,
  type ArticleContent, type ArticleRow,
} from '../../db/articles';
import type { Tx } from '../../db/client';
import { tickets } from '../../db/schema';
import { ARTICLE_READERS, articleActions, articleRefusal, draftFromTicket, seesDrafts, SUGGESTION_COUNT, type ArticleAction } from '../../domain/knowledge';
import type { Actor, Role } from '../../domain/roles';
import { audit } from '../audit';
import { idempotent } from '../idempotency';
import { decodeCursor, encodeCursor } from '../pagination';
import { conflict, notFound } from '../problem';
import { Article, ArticleSearchQuery, ArticleSummary, ArticleVersion, CreateArticle, SuggestionQuery, TicketIdParams, UpdateArticle } from '../schemas/articles';
import { IdempotencyHeaders, IdParams, Obj, Page } from '../schemas/common';

// Issue 17 point 3: the knowledge base. Knowledge engineers write; the people who work tickets read
// published articles (a draft does not exist for them: 404), search them and cite them when resolving.

const WRITERS: Role[] = ['knowledge_engineer'];
const SEARCHERS: Role[] = ['agent', 'support_l2', 'support_l3', 'supervisor', 'knowledge_engineer'];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function articleView(row: ArticleRow, actor: Actor) {
  return {
    id: row.id, title: row.title, body: row.body, category: row.category, tags: row.tags, status: row.status, version: row.version,
    sourceTicketId: row.sourceTicketId, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(), publishedAt: iso(row.publishedAt), allowedActions: articleActions(row.status, actor),
  };
}

const summaryView = <Row extends { updatedAt: Date; rank: number | null }>(row: Row) => ({ ...row, updatedAt: row.updatedAt.toISOString(), rank: row.rank === null ? null : Number(row.rank) });

export const articleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const readable = async (id: string, actor: Actor) => {
    const row = await getArticle(app.db, id, seesDrafts(actor.roles));
    if (!row) throw notFound('article', id);
    return row;
  };

  /** Changes an article under its row lock when its state admits the action (409 naming the allowed actions otherwise). */
  async function change(id: string, actor: Actor, action: ArticleAction, apply: (tx: Tx, row: ArticleRow) => Promise<void>, detail?: unknown) {
    await app.db.transaction(async (tx) => {
      const row = await lockArticle(tx, id);
      if (!row) throw notFound('article', id);
      const refusal = articleRefusal(row.status, action, actor);
      if (refusal?.kind === 'invalid_state') throw conflict(refusal.message, { state: refusal.state, allowedActions: refusal.allowedActions });
      await apply(tx, row);
      await audit(tx, actor, `article.${action}`, 'article', id, detail);
    });
    return articleView((await getArticle(app.db, id, true))!, actor);
  }

  /** A new draft under the request's Idempotency-Key: a repeat answers the first draft. */
  const draft = (request: FastifyRequest, reply: FastifyReply, scope: string, content: ArticleContent, sourceTicketId: string | null = null) => idempotent(request, reply, {
    scope,
    allocateId: () => allocateArticleId(app.db),
    run: async (id) => {
      await app.db.transaction(async (tx) => {
        await createArticle(tx, id, content, request.actor.id, sourceTicketId);
        await audit(tx, request.actor, 'article.create', 'article', id, sourceTicketId ? { fromTicket: sourceTicketId } : undefined);
      });
      return { status: 201, body: articleView((await getArticle(app.db, id, true))!, request.actor) };
    },
  });

  app.post('/articles', {
    config: { roles: WRITERS },
    schema: { tags: ['articles'], summary: 'Write a draft article (version 1)', body: CreateArticle, headers: IdempotencyHeaders, response: { 201: Article } },
  }, async (request, reply) => draft(request, reply, 'POST /articles', { ...request.body, tags: request.body.tags ?? [] }));

  app.post('/articles/from-ticket/:ticketId', {
    config: { roles: WRITERS },
    schema: {
      tags: ['articles'], summary: "Start a draft from a resolved ticket: its subject, its resolution, a link back", params: TicketIdParams,
      headers: IdempotencyHeaders, response: { 201: Article },
    },
  }, async (request, reply) => {
    const { ticketId } = request.params;
    const [ticket] = await app.db.select({ id: tickets.id, subject: tickets.subject, category: tickets.category, status: tickets.status, resolution: tickets.resolution })
      .from(tickets).where(eq(tickets.id, ticketId));
    if (!ticket) throw notFound('ticket', ticketId);
    // A ticket that was resolved and then reopened still has its last resolution; until it is resolved again that text is not a solution.
    if ((ticket.status !== 'resolved' && ticket.status !== 'closed') || ticket.resolution === null) {
      throw conflict(`ticket ${ticketId} is ${ticket.status}; only a resolved or closed ticket with a resolution can start an article`, { state: ticket.status, allowedActions: [] });
    }
    const { sourceTicketId, ...content } = draftFromTicket({ ...ticket, resolution: ticket.resolution });
    return draft(request, reply, `POST /articles/from-ticket/${ticketId}`, content, sourceTicketId);
  });

  app.get('/articles', {
    config: { roles: ARTICLE_READERS },
    schema: {
      tags: ['articles'], summary: 'Find articles: ranked full text (`q`), category, tag, status (drafts only for knowledge engineers and managers)',
      querystring: ArticleSearchQuery, response: { 200: Page(ArticleSummary) },
    },
  }, async (request) => {
    const { limit = 20, cursor, status, ...filter } = request.query;
    const withDrafts = seesDrafts(request.actor.roles);
    if (!withDrafts && status === 'draft') return { items: [], nextCursor: null };
    const offset = cursor ? Number(decodeCursor(cursor, 1)[0]) : 0;
    const rows = await searchArticles(app.db, { ...filter, status: withDrafts ? status : 'published', limit, offset });
    return { items: rows.slice(0, limit).map(summaryView), nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null };
  });

  app.get('/articles/suggestions', {
    config: { roles: SEARCHERS },
    schema: {
      tags: ['articles'], summary: `The ${SUGGESTION_COUNT} best-ranked published articles for what a customer reports (intake)`,
      querystring: SuggestionQuery, response: { 200: Type.Object({ items: Type.Array(ArticleSummary) }) },
    },
  }, async (request) => ({ items: (await suggestArticles(app.db, request.query.text, SUGGESTION_COUNT)).map(summaryView) }));

  app.get('/articles/:id', {
    config: { roles: ARTICLE_READERS },
    schema: { tags: ['articles'], params: IdParams, response: { 200: Article } },
  }, async (request) => articleView(await readable(request.params.id, request.actor), request.actor));

  app.get('/articles/:id/versions', {
    config: { roles: ARTICLE_READERS },
    schema: { tags: ['articles'], summary: 'Every version of the article, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(ArticleVersion) }) } },
  }, async (request) => {
    await readable(request.params.id, request.actor);
    const versions = await articleHistory(app.db, request.params.id);
    return { items: versions.map(({ articleId: _id, at, ...v }) => ({ ...v, at: at.toISOString() })) };
  });

  app.patch('/articles/:id', {
    config: { roles: WRITERS },
    schema: { tags: ['articles'], summary: 'Change an article: a new version; a published article stays published', params: IdParams, body: UpdateArticle, response: { 200: Article } },
  }, async (request) => {
    const { version, ...changes } = request.body;
    return change(request.params.id, request.actor, 'update', async (tx, row) => {
      if (row.version !== version) {
        throw conflict(`article ${row.id} is at version ${row.version}, not ${version}; read it again and repeat the change`, { state: row.status, version: row.version, allowedActions: articleActions(row.status) });
      }
      await reviseArticle(tx, row, changes, request.actor.id);
    }, { fromVersion: version, fields: Object.keys(changes) });
  });

  for (const [action, status] of [['publish', 'published'], ['unpublish', 'draft']] as const) {
    app.post(`/articles/:id/${action}`, {
      config: { roles: WRITERS },
      schema: { tags: ['articles'], summary: action === 'publish' ? 'Show the article to the support tiers' : 'Take the article back to draft', params: IdParams, body: Type.Optional(Obj({})), response: { 200: Article } },
    }, async (request) => change(request.params.id, request.actor, action, (tx) => setArticleStatus(tx, request.params.id, status, request.actor.id)));
  }
};
