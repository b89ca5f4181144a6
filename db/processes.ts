import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { contracts, incidents, orders, returns, tickets } from './schema';

export type ProcessKind = 'ticket' | 'order' | 'contract' | 'return' | 'incident';

const TABLES = { ticket: tickets, order: orders, contract: contracts, return: returns, incident: incidents } as const;

/** The workflow behind a process row and the state it last recorded, or null for an unknown id. */
export async function findProcess(db: Db, kind: ProcessKind, id: string): Promise<{ workflowId: string; status: string } | null> {
  const table = TABLES[kind];
  const [row] = await db.select({ workflowId: table.workflowId, status: table.status }).from(table).where(eq(table.id, id));
  return row ?? null;
}
