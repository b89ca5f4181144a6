import type { Db, Tx } from '../db/client';
import { auditLog } from '../db/schema';
import type { Actor } from '../domain/roles';

export async function audit(db: Db | Tx, actor: Actor, action: string, resourceType: string, resourceId: string | null, detail?: unknown): Promise<void> {
  await db.insert(auditLog).values({ actorId: actor.id, action, resourceType, resourceId, detail: detail ?? null });
}
