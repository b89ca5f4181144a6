import { sql } from 'drizzle-orm';
import type { IncidentRecord } from '../domain/processes/incident';
import type { Db } from './client';
import { incidents } from './schema';

/** The incident row after a change of its workflow; a retried or late write never puts an older state over a newer one. */
export async function recordIncident(db: Db, record: IncidentRecord): Promise<void> {
  const { seq, ...fields } = record;
  const row = {
    ...fields, createdAt: new Date(record.createdAt), updatedAt: new Date(), resolvedAt: record.resolvedAt === null ? null : new Date(record.resolvedAt), lastSeq: seq,
  };
  await db.insert(incidents).values(row).onConflictDoUpdate({
    target: incidents.id,
    set: { status: row.status, ticketIds: row.ticketIds, resolution: row.resolution, resolvedAt: row.resolvedAt, updatedAt: row.updatedAt, lastSeq: row.lastSeq },
    setWhere: sql`${incidents.lastSeq} < ${row.lastSeq}`,
  });
}
