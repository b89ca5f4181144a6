import type { Actor } from '../domain/roles';
import type { Db, Tx } from './client';
import { auditLog } from './schema';

/** One line of the audit log; pass the transaction of the change it records, so both commit together. */
export async function audit(db: Db | Tx, actor: Actor, action: string, resourceType: string, resourceId: string | null, detail?: unknown): Promise<void> {
  await db.insert(auditLog).values({ actorId: actor.id, action, resourceType, resourceId, detail: detail ?? null });
}
