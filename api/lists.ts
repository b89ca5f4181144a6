import { and, desc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
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

/** How many of a list's newest rows a sparse condition is tried on before it goes through its own index. */
export const SPARSE_WINDOW = 2_000;

/**
 * The list shape of the process resources (tickets, orders, contracts): filtered by equality, newest
 * first, paged by keyset on (createdAt, id).
 *
 * `sparse` is a condition whose matches may be anywhere from every row to a handful (full text): PostgreSQL cannot
 * tell a rare word from a common one well enough, and reading the newest rows until a page is found scans the whole
 * table for a rare one (figure 4: 461 ms over 1 M rows), while collecting every match of a common one through its
 * index and sorting them is as slow the other way. So it is tried on the newest `window` rows of the list first,
 * which fills the page at once for a common word; only if they hold less than a page are the matches collected
 * through the condition's own index (GIN) and sorted, which is quick exactly because they are few.
 */
export async function newestFirst<T extends ProcessTable, Item>(
  db: Db,
  table: T,
  query: { limit?: number; cursor?: string },
  filters: readonly Filter[],
  view: (row: T['$inferSelect']) => Item,
  /** A condition beyond equality (e.g. tickets someone escalated). */
  also?: SQL,
  /** The sparse condition on a row's columns: the table's, or the newest rows' (a subquery's). */
  sparse?: (row: Record<string, AnyColumn>) => SQL,
  window = SPARSE_WINDOW,
) {
  const { limit = 50, cursor } = query;
  const where = and(afterCursor([table.createdAt, table.id], cursor, 'desc'), matching(filters), also);
  const newest = [desc(table.createdAt), desc(table.id)];
  // drizzle cannot infer the row type of a generic table; select() returns T's rows.
  const page = async (condition: SQL | undefined, order = newest) => (await db.select().from(table as PgTable)
    .where(condition).orderBy(...order).limit(limit + 1)) as Array<T['$inferSelect']>;
  let rows: Array<T['$inferSelect']>;
  if (!sparse) rows = await page(where);
  else {
    // The newest rows as they come off the index, the condition applied to them in the same pass.
    const recent = db.select().from(table as PgTable).where(where).orderBy(...newest).limit(window).as('recent') as unknown as Record<string, AnyColumn>;
    rows = (await db.select().from(recent as never).where(sparse(recent)).orderBy(desc(recent.createdAt!), desc(recent.id!)).limit(limit + 1)) as Array<T['$inferSelect']>;
    // An order by an expression no index holds, so the planner collects the matches through the condition's index.
    if (rows.length <= limit) rows = await page(and(where, sparse(table as unknown as Record<string, AnyColumn>)), [desc(sql`${table.createdAt} + interval '0 seconds'`), desc(table.id)]);
  }
  return toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id], view);
}

/** An ILIKE pattern for "contains `text`", with LIKE's own wildcards in it taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
