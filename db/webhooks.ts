import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from './client';
import { notificationDeliveries, notificationOutbox, webhookSubscriptions } from './schema';

export type WebhookRow = typeof webhookSubscriptions.$inferSelect;

export async function createWebhook(db: Db, fields: { url: string; kinds: string[]; secret: string; description: string | null; createdBy: string }): Promise<WebhookRow> {
  const [row] = await db.insert(webhookSubscriptions).values(fields).returning();
  return row!;
}

export async function listWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.select().from(webhookSubscriptions).where(isNull(webhookSubscriptions.deletedAt)).orderBy(webhookSubscriptions.id);
}

/** A live subscription, or (with `includeDeleted`) any, so a deleted one's deliveries stay readable. */
export async function findWebhook(db: Db, id: string, options: { includeDeleted?: boolean } = {}): Promise<WebhookRow | null> {
  const [row] = await db.select().from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, id), options.includeDeleted ? undefined : isNull(webhookSubscriptions.deletedAt)));
  return row ?? null;
}

/**
 * Ends a subscription: no new deliveries are planned for it, and pending ones stop at their next
 * attempt. The row stays for its delivery record.
 */
export async function deleteWebhook(db: Db, id: string): Promise<boolean> {
  const rows = await db.update(webhookSubscriptions).set({ deletedAt: new Date() })
    .where(and(eq(webhookSubscriptions.id, id), isNull(webhookSubscriptions.deletedAt))).returning({ id: webhookSubscriptions.id });
  return rows.length > 0;
}

export async function webhookDeliveries(db: Db, id: string, options: { before: number | null; limit: number }) {
  return db.select({ delivery: notificationDeliveries, notification: notificationOutbox }).from(notificationDeliveries)
    .innerJoin(notificationOutbox, eq(notificationOutbox.id, notificationDeliveries.notificationId))
    .where(and(
      eq(notificationDeliveries.channel, 'webhook'), eq(notificationDeliveries.address, id),
      options.before !== null ? lt(notificationDeliveries.id, options.before) : undefined,
    ))
    .orderBy(desc(notificationDeliveries.id)).limit(options.limit);
}
