import { asc, eq } from 'drizzle-orm';
import type { Db } from './client';
import { attachments } from './schema';

export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachment = Omit<typeof attachments.$inferInsert, 'id' | 'createdAt'>;

/** Records an attachment; one that came with a message is recorded once however often its routing runs. */
export async function recordAttachment(db: Db, attachment: NewAttachment): Promise<AttachmentRow | null> {
  const [row] = await db.insert(attachments).values(attachment).onConflictDoNothing().returning();
  return row ?? null;
}

export async function ticketAttachments(db: Db, ticketId: string): Promise<AttachmentRow[]> {
  return db.select().from(attachments).where(eq(attachments.ticketId, ticketId)).orderBy(asc(attachments.id));
}

export async function findAttachment(db: Db, id: number): Promise<AttachmentRow | null> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  return row ?? null;
}
