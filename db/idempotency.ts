import type postgres from 'postgres';

// The Idempotency-Key store (SPEC §2): one row per (user, key) holding the request's hash, the resource
// number allocated for it, and once answered, the answer. The API serialises requests with one key by a
// session advisory lock, which needs one connection for the lock and the reads and writes under it.

export interface KeyRecord {
  scope: string;
  requestHash: string;
  resourceId: string | null;
  statusCode: number | null;
  response: unknown;
}

/**
 * Runs `work` on a connection of its own while holding the advisory lock for `lockKey`, or answers
 * `{ locked: false }` at once when another session holds it.
 */
export async function underKeyLock<T>(sql: postgres.Sql, lockKey: string, work: (connection: postgres.Sql) => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }> {
  const connection = await sql.reserve();
  try {
    const [{ locked }] = (await connection`select pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) as locked`) as unknown as [{ locked: boolean }];
    if (!locked) return { locked: false };
    try {
      return { locked: true, value: await work(connection) };
    } finally {
      await connection`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`;
    }
  } finally {
    connection.release();
  }
}

export async function findKey(connection: postgres.Sql, userId: string, key: string): Promise<KeyRecord | null> {
  const [row] = (await connection`
    select scope, request_hash, resource_id, status_code, response from idempotency_keys
    where user_id = ${userId} and key = ${key}`) as unknown as Array<{ scope: string; request_hash: string; resource_id: string | null; status_code: number | null; response: unknown }>;
  return row ? { scope: row.scope, requestHash: row.request_hash, resourceId: row.resource_id, statusCode: row.status_code, response: row.response } : null;
}

/** Commits the resource number a key's request will create, before anything is created under it. */
export async function reserveKey(connection: postgres.Sql, row: { userId: string; key: string; scope: string; requestHash: string; resourceId: string }): Promise<void> {
  await connection`
    insert into idempotency_keys (user_id, key, scope, request_hash, resource_id)
    values (${row.userId}, ${row.key}, ${row.scope}, ${row.requestHash}, ${row.resourceId})
    on conflict (user_id, key) do update set resource_id = excluded.resource_id`;
}

/** Stores the answer, so every later request with the key gets it. */
export async function completeKey(connection: postgres.Sql, userId: string, key: string, outcome: { status: number; body: unknown }): Promise<void> {
  await connection`
    update idempotency_keys set status_code = ${outcome.status}, response = ${JSON.stringify(outcome.body)}::jsonb, completed_at = now()
    where user_id = ${userId} and key = ${key}`;
}
