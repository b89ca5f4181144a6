import { eq } from 'drizzle-orm';
import type { Role } from '../domain/roles';
import type { Db, Tx } from './client';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;

export async function findUser(db: Db | Tx, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** Creates the user, or answers with the id of the user who already has that email. */
export async function createUser(tx: Tx, fields: { name: string; email: string; roles: Role[] }): Promise<{ user: UserRow } | { existingId: string }> {
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, fields.email));
  if (existing) return { existingId: existing.id };
  const [user] = await tx.insert(users).values(fields).returning();
  return { user: user! };
}
