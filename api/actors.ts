import type { Db } from '../db/client';
import { contactNames } from '../db/customers';
import { userNames } from '../db/users';
import { contactActorName, contactIdOf } from '../domain/inbound';
import type { Actor } from '../domain/roles';

/**
 * Who did it, as people read it: users by their name from the users table, a customer's contact acting by
 * e-mail or on the portal by theirs, a process's own actors (its clock, a carrier webhook) by theirs. An id
 * that is none of these (a user or contact since removed) stays as it is.
 */
export async function actorNamer(db: Db, ids: ReadonlyArray<string | null>, processActors: readonly Actor[]): Promise<(id: string) => string> {
  const known = ids.filter((id): id is string => id !== null);
  const [people, contacts] = await Promise.all([
    userNames(db, known),
    contactNames(db, known.map(contactIdOf).filter((id): id is number => id !== null)),
  ]);
  const own = new Map(processActors.map((actor) => [actor.id, actor.name]));
  const contactName = (id: string) => {
    const contact = contactIdOf(id);
    const name = contact === null ? undefined : contacts.get(contact);
    return name === undefined ? undefined : contactActorName(name);
  };
  return (id) => people.get(id) ?? contactName(id) ?? own.get(id) ?? id;
}
