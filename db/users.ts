import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Role } from '../domain/roles';
import type { Db, Tx } from './client';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;

export async function findUser(db: Db | Tx, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** The names of these users (ids that are no user are left out). */
export async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, unique));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Creates the user, or answers with the id of the user who already has that email. */
export async function createUser(tx: Tx, fields: { name: string; email: string; roles: Role[]; language?: string }): Promise<{ user: UserRow } | { existingId: string }> {
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, fields.email));
  if (existing) return { existingId: existing.id };
  const [user] = await tx.insert(users).values(fields).returning();
  return { user: user! };
}

export interface UserChanges {
  name?: string;
  email?: string;
  roles?: Role[];
  active?: boolean;
  language?: string | null;
}

/** Changes the user, or answers with the id of another user who already has the new email; null when there is no such user. */
export async function updateUser(tx: Tx, id: string, changes: UserChanges): Promise<{ user: UserRow } | { existingId: string } | null> {
  if (changes.email !== undefined) {
    const [existing] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, changes.email), ne(users.id, id)));
    if (existing) return { existingId: existing.id };
  }
  const fields = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const [row] = Object.keys(fields).length === 0 ? [await findUser(tx, id)] : await tx.update(users).set(fields).where(eq(users.id, id)).returning();
  return row ? { user: row } : null;
}
