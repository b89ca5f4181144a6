import type postgres from 'postgres';

/**
 * A digest of every row of every table, one per table: equal before and after a request means the
 * request wrote nothing. `except` names tables that record refusals on purpose.
 */
export async function fingerprint(sql: postgres.Sql, except: string[] = []): Promise<Record<string, string>> {
  const tables = (await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`).map((t) => t.name).filter((t) => !except.includes(t));
  const columns = tables.map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from "${t}" x) as "${t}"`);
  const [row] = await sql.unsafe(`select ${columns.join(', ')}`);
  return row as Record<string, string>;
}

/** Waits until the database stops changing (a process started by a request may still be writing). */
export async function settled(sql: postgres.Sql, except: string[] = [], quietMs = 150): Promise<Record<string, string>> {
  let last = await fingerprint(sql, except);
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = await fingerprint(sql, except);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error('the database kept changing for 15 s');
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((table) => before[table] !== after[table]);
}
