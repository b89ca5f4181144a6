import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { ProcessType, TaskKind } from '../../domain/tasks';

// The work lists (GET /tasks): each process's open tasks as domain/tasks.ts reads them off its record,
// replaced by the repository that records each transition, in the same transaction. `owner` is whose list
// a task is on (`role:<role>` or `user:<id>`); the summary is copied so a list is one read of this table.
export const processTasks = pgTable('process_tasks', {
  processType: text('process_type').$type<ProcessType>().notNull(),
  processId: text('process_id').notNull(),
  kind: text('kind').$type<TaskKind>().notNull(),
  owner: text('owner').notNull(),
  summary: text('summary').notNull(),
  actions: text('actions').array().notNull(),
  /** Users of a role list who do not see the task there (four eyes: domain/tasks.ts ProcessTask.barred). */
  barred: text('barred').array().notNull().default(sql`'{}'::text[]`),
  dueAt: timestamp('due_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.processType, t.processId, t.kind, t.owner] }),
  // One list in its order (due date, none last; then age), read from the index a page at a time; the
  // second serves `kind=`, which would otherwise skip through the owner's other kinds.
  index('process_tasks_list_idx').on(t.owner, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.createdAt, t.processType, t.processId, t.kind),
  index('process_tasks_kind_idx').on(t.owner, t.kind, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.createdAt, t.processType, t.processId),
]);
