import { loadSettings } from '../db/settings';
import { notificationOutbox } from '../db/schema';
import type { Settings } from '../domain/settings';
import type { ActivityDeps } from './deps';

export interface Notification {
  /** Stable per business event (e.g. `ticket-T-2026-000001:sla-breach:2`), so a retry writes one row. */
  dedupeKey: string;
  channel: 'email' | 'queue' | 'supervisor' | 'customer' | 'owner';
  recipient: string;
  subject: string;
  body: string;
  resourceType: string;
  resourceId: string;
}

export function createPlatformActivities({ db }: ActivityDeps) {
  return {
    /** The settings a process starts with and keeps for its whole life. */
    async loadSettings(): Promise<Settings> {
      return loadSettings(db);
    },

    async notify(notification: Notification): Promise<void> {
      await db.insert(notificationOutbox).values(notification).onConflictDoNothing({ target: notificationOutbox.dedupeKey });
    },
  };
}
