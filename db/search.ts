import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

// Full-text search for articles and tickets, in one place so documents and queries always use the same
// text configuration. English stemming: the demo data, the console and the notes are written in English;
// a German installation would change this one word (and re-run the backfill in migration 0010).
const CONFIG = sql.raw(`'english'`);

export type Weight = 'A' | 'B' | 'C';

/** A part of a document, ranked by its weight (ts_rank: A 1.0, B 0.4, C 0.2). */
export const weighted = (text: SQL | AnyColumn | string, weight: Weight): SQL => sql`setweight(to_tsvector(${CONFIG}, coalesce(${text}, '')), ${sql.raw(`'${weight}'`)})`;

/** A document from its parts, e.g. title A, tags B, body C. */
export const searchDocument = (...parts: Array<[SQL | AnyColumn | string, Weight]>): SQL => sql.join(parts.map(([text, weight]) => weighted(text, weight)), sql` || `);

/** What a person types in a search box: every word must occur; "quoted phrases", `or` and `-word` as on the web. */
export const typedQuery = (q: string): SQL => sql`websearch_to_tsquery(${CONFIG}, ${q})`;

/**
 * A text written for another purpose (a ticket's subject and description): any of its words may match,
 * the rank orders by how many and where. plainto_tsquery joins the words with `&`; they are turned into `|`.
 */
export const anyWordQuery = (text: string): SQL => sql`replace(plainto_tsquery(${CONFIG}, ${text})::text, ' & ', ' | ')::tsquery`;

export const matches = (document: AnyColumn, query: SQL): SQL => sql`${document} @@ ${query}`;
export const rank = (document: AnyColumn, query: SQL): SQL<number> => sql<number>`ts_rank(${document}, ${query})`;
