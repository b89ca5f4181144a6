import { and, arrayContains, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ArticleStatus } from '../domain/knowledge';
import type { Category } from '../domain/tickets';
import type { Db, Tx } from './client';
import { articles, articleVersions, ticketArticleCitations } from './schema';
import { anyWordQuery, matches, rank, searchDocument, typedQuery } from './search';

// The knowledge base's repository: the only code that writes articles and their versions.

export interface ArticleContent {
  title: string;
  body: string;
  category: Category;
  tags: string[];
}

export type ArticleRow = typeof articles.$inferSelect;

const documentOf = (c: ArticleContent) => searchDocument([c.title, 'A'], [c.tags.join(' '), 'B'], [c.body, 'C']);

/** A new article id (KB-NNNNNN), taken before the article is written so an idempotent retry reuses it. */
export async function allocateArticleId(db: Db): Promise<string> {
  const [row] = (await db.execute(sql`select 'KB-' || lpad(nextval('article_seq')::text, 6, '0') as id`)) as unknown as [{ id: string }];
  return row.id;
}

async function keepVersion(tx: Tx, id: string, version: number, content: ArticleContent, editedBy: string, at: Date): Promise<void> {
  await tx.insert(articleVersions).values({ articleId: id, version, ...content, editedBy, at });
}

/** A draft, version 1. */
export async function createArticle(tx: Tx, id: string, content: ArticleContent, actorId: string, sourceTicketId: string | null = null): Promise<void> {
  const now = new Date();
  await tx.insert(articles).values({
    id, ...content, status: 'draft', version: 1, sourceTicketId, search: documentOf(content),
    createdBy: actorId, createdAt: now, updatedBy: actorId, updatedAt: now,
  });
  await keepVersion(tx, id, 1, content, actorId, now);
}

/** The article, locked until the transaction ends (its next version number is decided under the lock). */
export async function lockArticle(tx: Tx, id: string): Promise<ArticleRow | null> {
  const [row] = await tx.select().from(articles).where(eq(articles.id, id)).for('update');
  return row ?? null;
}

/** The locked article with the given fields changed, as its next version; the status stays. */
export async function reviseArticle(tx: Tx, current: ArticleRow, changes: Partial<ArticleContent>, actorId: string): Promise<void> {
  const content: ArticleContent = { title: current.title, body: current.body, category: current.category, tags: current.tags, ...changes };
  const version = current.version + 1;
  const now = new Date();
  await tx.update(articles).set({ ...content, version, search: documentOf(content), updatedBy: actorId, updatedAt: now }).where(eq(articles.id, current.id));
  await keepVersion(tx, current.id, version, content, actorId, now);
}

export async function setArticleStatus(tx: Tx, id: string, status: ArticleStatus, actorId: string): Promise<void> {
  const now = new Date();
  await tx.update(articles).set({ status, updatedBy: actorId, updatedAt: now, publishedAt: status === 'published' ? now : null }).where(eq(articles.id, id));
}

/** The article, or null when it does not exist or is a draft the reader may not see. */
export async function getArticle(db: Db, id: string, withDrafts: boolean): Promise<ArticleRow | null> {
  const [row] = await db.select().from(articles).where(and(eq(articles.id, id), withDrafts ? undefined : eq(articles.status, 'published')));
  return row ?? null;
}

export function articleHistory(db: Db, id: string) {
  return db.select().from(articleVersions).where(eq(articleVersions.articleId, id)).orderBy(asc(articleVersions.version));
}

const summary = {
  id: articles.id, title: articles.title, category: articles.category, tags: articles.tags, status: articles.status, version: articles.version,
  updatedAt: articles.updatedAt, excerpt: sql<string>`left(${articles.body}, 280)`,
};

/**
 * Articles matching every filter, best-ranked first with `q` (ties by id), else most recently edited first.
 * Paged by offset: a ranked list has no stable key to page on, and a knowledge base is small.
 */
export async function searchArticles(db: Db, filter: { q?: string; category?: Category; tag?: string; status?: ArticleStatus; limit: number; offset: number }) {
  const query = filter.q ? typedQuery(filter.q) : null;
  const where = and(
    query ? matches(articles.search, query) : undefined,
    filter.category ? eq(articles.category, filter.category) : undefined,
    filter.tag ? arrayContains(articles.tags, [filter.tag]) : undefined,
    filter.status ? eq(articles.status, filter.status) : undefined,
  );
  const order: SQL[] = query ? [desc(rank(articles.search, query)), asc(articles.id)] : [desc(articles.updatedAt), asc(articles.id)];
  return db.select({ ...summary, rank: query ? rank(articles.search, query) : sql<number | null>`null` }).from(articles)
    .where(where).orderBy(...order).limit(filter.limit + 1).offset(filter.offset);
}

/** The best-ranked published articles for a text written about a problem (intake's subject and description). */
export async function suggestArticles(db: Db, text: string, count: number) {
  const query = anyWordQuery(text);
  return db.select({ ...summary, rank: rank(articles.search, query) }).from(articles)
    .where(and(eq(articles.status, 'published'), matches(articles.search, query)))
    .orderBy(desc(rank(articles.search, query)), asc(articles.id)).limit(count);
}

/** Those of the ids that name no published article (unknown, or a draft). */
export async function unpublishedAmong(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const published = await db.select({ id: articles.id }).from(articles).where(and(inArray(articles.id, [...ids]), eq(articles.status, 'published')));
  const found = new Set(published.map((row) => row.id));
  return ids.filter((id) => !found.has(id));
}

/** The articles a ticket's resolutions cited, in the order they were cited. */
export function ticketCitations(db: Db, ticketId: string) {
  return db.select({ seq: ticketArticleCitations.seq, articleId: articles.id, title: articles.title }).from(ticketArticleCitations)
    .innerJoin(articles, eq(articles.id, ticketArticleCitations.articleId))
    .where(eq(ticketArticleCitations.ticketId, ticketId))
    .orderBy(asc(ticketArticleCitations.seq), asc(articles.id));
}
