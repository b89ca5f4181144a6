import { and, eq } from 'drizzle-orm';
import { taskOwner, type ProcessTasks } from '../domain/tasks';
import type { Tx } from './client';
import { processTasks } from './schema';

/**
 * Replaces a process's task rows with those of its newest transition (recorded `at`). The caller has
 * just moved the process row forward in the same transaction and holds its lock, so a retried or late
 * write never gets here and two writes of one process never interleave. A task that stays open keeps
 * the age it had; one that opens later than now (a renewal's notice period) carries that instant, and
 * the lists leave it out until then.
 */
export async function replaceTasks(tx: Tx, current: ProcessTasks, at: number): Promise<void> {
  const { type, id, summary } = current.process;
  const ofProcess = and(eq(processTasks.processType, type), eq(processTasks.processId, id));
  const previous = await tx.delete(processTasks).where(ofProcess).returning({ kind: processTasks.kind, owner: processTasks.owner, createdAt: processTasks.createdAt });
  const openedAt = new Map(previous.map((row) => [`${row.kind} ${row.owner}`, row.createdAt]));
  if (current.tasks.length === 0) return;
  await tx.insert(processTasks).values(current.tasks.map((task) => {
    const owner = taskOwner(task);
    return {
      processType: type, processId: id, kind: task.kind, owner, summary, actions: task.actions, barred: task.barred,
      dueAt: task.dueAt === null ? null : new Date(task.dueAt),
      createdAt: task.opensAt !== null ? new Date(task.opensAt) : (openedAt.get(`${task.kind} ${owner}`) ?? new Date(at)),
    };
  }));
}
