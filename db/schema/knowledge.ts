import { index, integer, pgSequence, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { ArticleStatus } from '../../domain/knowledge';
import type { Category, Tier } from '../../domain/tickets';
import { tsvector } from './search';
import { tickets } from './tickets';

export const articleSeq = pgSequence('article_seq', { maxValue: 999_999 });

// An article as it reads now; every edit is also kept whole in article_versions. `search` is the
// weighted document (title A, tags B, body C) the repository writes with each version.
export const articles = pgTable('articles', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  category: text('category').$type<Category>().notNull(),
  tags: text('tags').array().notNull(),
  status: text('status').$type<ArticleStatus>().notNull(),
  version: integer('version').notNull(),
  /** The resolved ticket a draft was started from (POST /articles/from-ticket/:ticketId). */
  sourceTicketId: text('source_ticket_id').references(() => tickets.id),
  search: tsvector('search').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
}, (t) => [
  index('articles_search_idx').using('gin', t.search),
  index('articles_tags_idx').using('gin', t.tags),
  index('articles_status_category_idx').on(t.status, t.category, t.updatedAt),
]);

export const articleVersions = pgTable('article_versions', {
  articleId: text('article_id').notNull().references(() => articles.id),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  category: text('category').$type<Category>().notNull(),
  tags: text('tags').array().notNull(),
  editedBy: text('edited_by').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.articleId, t.version] })]);

// The articles a resolution cited, one row per (resolve event, article): written with the resolve event
// by the activity that records it, so a retried activity cites once. `tier` is where the ticket was
// resolved (the L1 figure of GET /reports/articles).
export const ticketArticleCitations = pgTable('ticket_article_citations', {
  ticketId: text('ticket_id').notNull().references(() => tickets.id),
  seq: integer('seq').notNull(),
  articleId: text('article_id').notNull().references(() => articles.id),
  tier: text('tier').$type<Tier>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.ticketId, t.seq, t.articleId] }),
  index('ticket_article_citations_article_idx').on(t.articleId, t.at),
  index('ticket_article_citations_at_idx').on(t.at),
]);
