import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { HttpProblem } from './problem';

// Lists page by keyset: the cursor is the sort key of the last row, opaque to clients.
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): Array<string | number> {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) return values;
  } catch {
    // fall through to the refusal
  }
  throw invalidCursor();
}

const invalidCursor = () => new HttpProblem(400, 'cursor is not one this API issued', { errors: [{ path: '/cursor', message: 'invalid cursor' }] });

/** Rows strictly after the cursor in (col1, col2, …) order, ascending or descending. */
export function afterCursor(columns: Array<AnyColumn | SQL>, cursor: string | undefined, direction: 'asc' | 'desc' = 'asc'): SQL | undefined {
  if (!cursor) return undefined;
  const values = decodeCursor(cursor, columns.length);
  const op = direction === 'asc' ? sql`>` : sql`<`;
  return sql`(${sql.join(columns, sql`, `)}) ${op} (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

/** Fetch limit + 1 rows; the extra row tells whether there is a next page. */
export function toPage<Row, Item>(rows: Row[], limit: number, keyOf: (row: Row) => Array<string | number>, view: (row: Row) => Item) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/** For lists newest first by a numeric id: the id the cursor names, or null for the first page. */
export function beforeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const id = Number(decodeCursor(cursor, 1)[0]);
  if (!Number.isSafeInteger(id)) throw invalidCursor();
  return id;
}
