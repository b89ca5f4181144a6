import postgres from 'postgres';

/** Calls and time per normalised statement of one database, from pg_stat_statements. */
export type StatementCounts = Map<string, { calls: number; ms: number }>;

/**
 * Counts a database's statements on the server with pg_stat_statements when the server preloads it (the
 * test and bench environments' embedded PostgreSQL does), over a connection of its own so that counting
 * adds nothing to the count. Null where the server does not preload it: callers count on the client.
 */
export async function serverStatementCounter(databaseUrl: string): Promise<null | { snapshot(): Promise<StatementCounts>; close(): Promise<void> }> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [preload] = await sql<[{ setting: string }?]>`select setting from pg_settings where name = 'shared_preload_libraries'`;
  if (!preload?.setting.split(',').map((s) => s.trim()).includes('pg_stat_statements')) {
    await sql.end();
    return null;
  }
  await sql`create extension if not exists pg_stat_statements`;
  return {
    async snapshot() {
      const rows = await sql<Array<{ query: string; calls: string; ms: number }>>`
        select query, calls, total_exec_time as ms from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'`;
      const counts: StatementCounts = new Map();
      for (const row of rows) {
        const seen = counts.get(row.query) ?? { calls: 0, ms: 0 };
        counts.set(row.query, { calls: seen.calls + Number(row.calls), ms: seen.ms + row.ms });
      }
      return counts;
    },
    close: () => sql.end(),
  };
}

/** What happened between two snapshots. */
export function difference(after: StatementCounts, before: StatementCounts): StatementCounts {
  const delta: StatementCounts = new Map();
  for (const [query, { calls, ms }] of after) {
    const was = before.get(query) ?? { calls: 0, ms: 0 };
    if (calls > was.calls) delta.set(query, { calls: calls - was.calls, ms: ms - was.ms });
  }
  return delta;
}

/**
 * BEGIN, COMMIT and the like. pg_stat_statements does not see every COMMIT (here it counted 1 of 46), so
 * statement counts leave transaction control out, and transactions are counted by their BEGIN on the client.
 */
export const isTransactionControl = (query: string) => /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(query);
export const isBegin = (query: string) => /^\s*begin\b/i.test(query);

/** Calls of everything but transaction control. */
export const workStatements = (counts: StatementCounts) => [...counts].reduce((sum, [query, c]) => sum + (isTransactionControl(query) ? 0 : c.calls), 0);
