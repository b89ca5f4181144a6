import { sql } from 'drizzle-orm';
import type { BusinessCalendar } from '../domain/calendar';
import type { Db, Tx } from './client';
import { calendars } from './schema';

/** Creates or replaces a business-hours calendar; running tickets keep the copy they started with. */
export async function saveCalendar(db: Db | Tx, name: string, definition: BusinessCalendar, updatedBy: string): Promise<void> {
  await db.insert(calendars).values({ name, definition, updatedBy })
    .onConflictDoUpdate({ target: calendars.name, set: { definition, updatedBy, updatedAt: sql`now()` } });
}
