import type { Db, Tx } from './client';
import { notificationOutbox } from './schema';

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

/** Puts a notification in the outbox once per dedupe key; a second write of the same key changes nothing. */
export async function enqueueNotification(db: Db | Tx, notification: Notification): Promise<void> {
  await db.insert(notificationOutbox).values(notification).onConflictDoNothing({ target: notificationOutbox.dedupeKey });
}
