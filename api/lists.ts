import { and, desc, eq, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { afterCursor, toPage } from './pagination';

/** A query parameter that filters a list by equality; absent or empty, it filters nothing. */
export type Filter = readonly [column: AnyColumn, value: string | boolean | undefined];

/** The rows matching every filter given. */
export function matching(filters: readonly Filter[]): SQL | undefined {
  return and(...filters.map(([column, value]) => (value === undefined || value === '' ? undefined : eq(column, value))));
}

type ProcessTable = PgTable & { createdAt: PgColumn; id: PgColumn; $inferSelect: { createdAt: Date; id: string } };

/**
 * The list shape of the process resources (tickets, orders, contracts): filtered by equality, newest
 * first, paged by keyset on (createdAt, id).
 */
export async function newestFirst<T extends ProcessTable, Item>(
  db: Db,
  table: T,
  query: { limit?: number; cursor?: string },
  filters: readonly Filter[],
  view: (row: T['$inferSelect']) => Item,
  /** A condition beyond equality (e.g. tickets someone escalated). */
  also?: SQL,
) {
  const { limit = 50, cursor } = query;
  // drizzle cannot infer the row type of a generic table; select() returns T's rows.
  const rows = (await db.select().from(table as PgTable)
    .where(and(afterCursor([table.createdAt, table.id], cursor, 'desc'), matching(filters), also))
    .orderBy(desc(table.createdAt), desc(table.id))
    .limit(limit + 1)) as Array<T['$inferSelect']>;
  return toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id], view);
}

/** An ILIKE pattern for "contains `text`", with LIKE's own wildcards in it taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
