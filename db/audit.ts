import { and, desc, eq, lt } from 'drizzle-orm';
import type { Actor } from '../domain/roles';
import type { Db, Tx } from './client';
import { auditLog } from './schema';

/** One line of the audit log; pass the transaction of the change it records, so both commit together. */
export async function audit(db: Db | Tx, actor: Actor, action: string, resourceType: string, resourceId: string | null, detail?: unknown): Promise<void> {
  await db.insert(auditLog).values({ actorId: actor.id, action, resourceType, resourceId, detail: detail ?? null });
}

export type AuditRow = typeof auditLog.$inferSelect;

/** Audit lines newest first, filtered by who acted and on what (a resource type, or one resource of it). */
export async function auditEntries(db: Db, filter: { actorId?: string; resourceType?: string; resourceId?: string; action?: string; before: number | null; limit: number }): Promise<AuditRow[]> {
  return db.select().from(auditLog).where(and(
    filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.resourceType ? eq(auditLog.resourceType, filter.resourceType) : undefined,
    filter.resourceId ? eq(auditLog.resourceId, filter.resourceId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.before !== null ? lt(auditLog.id, filter.before) : undefined,
  )).orderBy(desc(auditLog.id)).limit(filter.limit);
}
