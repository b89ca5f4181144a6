import type { Db } from '../db/client';
import { userNames } from '../db/users';
import type { Actor } from '../domain/roles';

/**
 * Who did it, as people read it: users by their name from the users table, a process's own actors (its
 * clock, a carrier webhook) by theirs. An id that is neither (a user since deleted) stays as it is.
 */
export async function actorNamer(db: Db, ids: ReadonlyArray<string | null>, processActors: readonly Actor[]): Promise<(id: string) => string> {
  const people = await userNames(db, ids.filter((id): id is string => id !== null));
  const own = new Map(processActors.map((actor) => [actor.id, actor.name]));
  return (id) => people.get(id) ?? own.get(id) ?? id;
}
