import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { isRole, type Actor } from '../domain/roles';
import type { Db, Tx } from './client';
import { apiKeys, users } from './schema';

// Token format: crm_<keyId>_<secret>. The key id finds the row; only SHA-256(secret) is stored,
// and the comparison is constant-time.
const TOKEN = /^crm_(k[0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function mintToken(): { keyId: string; secret: string; token: string } {
  const keyId = `k${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, token: `crm_${keyId}_${secret}` };
}

/** Stores a new key for the user and returns the token, which is never shown again. */
export async function issueApiKey(db: Db | Tx, userId: string, token = mintToken().token): Promise<{ keyId: string; apiKey: string }> {
  const parsed = TOKEN.exec(token);
  if (!parsed) throw new Error('API keys must have the form crm_k<16 hex>_<43 base64url chars>');
  const [, keyId, secret] = parsed as unknown as [string, string, string];
  await db.insert(apiKeys).values({ id: keyId, userId, secretHash: hashSecret(secret) });
  return { keyId, apiKey: token };
}

const keyLookup = (db: Db) => db
  .select({ id: users.id, name: users.name, roles: users.roles, secretHash: apiKeys.secretHash })
  .from(apiKeys)
  .innerJoin(users, eq(users.id, apiKeys.userId))
  .where(and(eq(apiKeys.id, sql.placeholder('keyId')), isNull(apiKeys.revokedAt), eq(users.active, true)))
  .prepare('authenticate');
/** Every request authenticates, so its statement is built once per database rather than on each call. */
const keyLookups = new WeakMap<Db, ReturnType<typeof keyLookup>>();

export async function authenticate(db: Db, token: string): Promise<Actor | null> {
  const parsed = TOKEN.exec(token);
  if (!parsed) return null;
  const [, keyId, secret] = parsed as unknown as [string, string, string];
  let lookup = keyLookups.get(db);
  if (!lookup) keyLookups.set(db, lookup = keyLookup(db));
  const [row] = await lookup.execute({ keyId });
  if (!row) return null;
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(row.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  return { id: row.id, name: row.name, roles: row.roles.filter(isRole) };
}

/** Revokes one active key of the user; false when there is no such active key. */
export async function revokeApiKey(db: Db | Tx, userId: string, keyId: string): Promise<boolean> {
  const revoked = await db.update(apiKeys).set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}

/** Revokes every active key of the user at once (deactivation); answers how many there were. */
export async function revokeAllKeys(db: Db | Tx, userId: string): Promise<number> {
  const revoked = await db.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
  return revoked.length;
}

/** The user's keys, newest first: ids and dates only, never the hash (an admin revokes by id). */
export async function keysOf(db: Db | Tx, userId: string): Promise<Array<{ keyId: string; createdAt: Date; revokedAt: Date | null }>> {
  return db.select({ keyId: apiKeys.id, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}
