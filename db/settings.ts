import { eq, sql } from 'drizzle-orm';
import { defaultSettings, type SettingKey, type Settings, type SettingValue } from '../domain/settings';
import type { Db, Tx } from './client';
import { calendars, settings } from './schema';

/** Defaults overlaid with what admins have stored. */
export async function loadSettings(db: Db | Tx): Promise<Settings> {
  // Read as text and parse once: drizzle parses a jsonb value again after postgres.js has, which turns
  // the money setting "1000.00" into the number 1000.
  const stored = await db.select({ key: settings.key, value: sql<string>`${settings.value}::text` }).from(settings);
  const result = defaultSettings();
  for (const row of stored) if (row.key in result) result[row.key as SettingKey] = JSON.parse(row.value) as SettingValue;
  return result;
}

export async function saveSettings(db: Db | Tx, changes: Partial<Settings>, actorId: string): Promise<void> {
  // A null setting (e.g. no calendar) is stored as JSON null, not SQL NULL.
  const rows = Object.entries(changes).map(([key, value]) => ({ key, value: sql`${JSON.stringify(value)}::jsonb`, updatedBy: actorId }));
  if (rows.length === 0) return;
  await db.insert(settings).values(rows).onConflictDoUpdate({
    target: settings.key,
    set: { value: sql`excluded.value`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`now()` },
  });
}

export async function calendarExists(db: Db | Tx, name: string): Promise<boolean> {
  const [row] = await db.select({ name: calendars.name }).from(calendars).where(eq(calendars.name, name));
  return Boolean(row);
}
