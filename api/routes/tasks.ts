import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, getTableColumns, lt, lte, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { processTasks } from '../../db/schema';
import { ownersOf, PROCESS_TYPES, TASK_KINDS } from '../../domain/tasks';
import { decodeCursor, toPage } from '../pagination';
import { DateTime, ListQuery, Literals, Nullable, Page } from '../schemas/common';

const Task = Type.Object({
  kind: Literals(TASK_KINDS),
  process: Type.Object({ type: Literals(PROCESS_TYPES), id: Type.String(), summary: Type.String() }),
  actions: Type.Array(Type.String(), { description: 'the actions that complete the task, as the process allows them to you now' }),
  dueAt: Nullable(Type.String({ description: 'when the clock running on the process ends the wait' })),
  createdAt: Type.String({ description: 'when the task opened' }),
});

/** Tasks without a running clock sort after every due date; the indexes hold the same expression. */
const due = () => sql<Date>`coalesce(${processTasks.dueAt}, 'infinity'::timestamptz)`;
const order = () => [due(), processTasks.createdAt, processTasks.processType, processTasks.processId, processTasks.kind];
/** The same order over the merged lists: a union orders by its output columns, so the due key is one of them. */
const mergedOrder = sql`due_key, created_at, process_type, process_id, kind`;

const ORDER_ARITY = order().length;

/**
 * The list's statement for one shape of request (how many lists the caller reads, which filters), built once and
 * prepared: one ordered index range per list (their own and each role's), each cut at the page size, merged in the
 * same order, so the cost follows the page, not the number of open processes. Building the union is most of the
 * request's own CPU, and only the values change between callers.
 */
function listStatement(db: Db, lists: number, filters: { kind: boolean; dueBefore: boolean; cursor: boolean }) {
  const page = (i: number) => db.select({ ...getTableColumns(processTasks), dueKey: due().as('due_key') }).from(processTasks).where(and(
    eq(processTasks.owner, sql.placeholder(`owner${i}`)),
    // A role's task the four-eyes rules keep from this caller is another member's to take.
    sql`${sql.placeholder('caller')} <> all(${processTasks.barred})`,
    filters.kind ? eq(processTasks.kind, sql.placeholder('kind')) : undefined,
    filters.dueBefore ? lt(due(), sql`${sql.placeholder('dueBefore')}::timestamptz`) : undefined,
    // A task that opens later (a renewal's notice period) is listed from then on.
    lte(processTasks.createdAt, sql`now()`),
    filters.cursor ? sql`(${sql.join(order(), sql`, `)}) > (${sql.join(order().map((_, i) => sql.placeholder(`after${i}`)), sql`, `)})` : undefined,
  )).orderBy(...order().map((key) => asc(key))).limit(sql.placeholder('limit'));
  // Every user has a role (POST /users), so there are always two lists or more to merge.
  const [mine, firstRole, ...otherRoles] = Array.from({ length: lists }, (_, i) => page(i));
  return unionAll(mine!, firstRole!, ...otherRoles).orderBy(mergedOrder).limit(sql.placeholder('limit'))
    .prepare(`tasks_${lists}${filters.kind ? 'k' : ''}${filters.dueBefore ? 'd' : ''}${filters.cursor ? 'c' : ''}`);
}

export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const statements = new Map<string, ReturnType<typeof listStatement>>();
  const statementFor = (lists: number, filters: { kind: boolean; dueBefore: boolean; cursor: boolean }) => {
    const key = `${lists}${filters.kind}${filters.dueBefore}${filters.cursor}`;
    let statement = statements.get(key);
    if (!statement) statements.set(key, statement = listStatement(app.db, lists, filters));
    return statement;
  };
  app.get('/tasks', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['tasks'], summary: "The caller's open tasks across processes, the nearest due date first, then the oldest",
      querystring: ListQuery({ kind: Type.Optional(Literals(TASK_KINDS)), dueBefore: Type.Optional(DateTime('only tasks due before this instant')) }),
      response: { 200: Page(Task) },
    },
  }, async (request) => {
    const { limit = 50, cursor, kind, dueBefore } = request.query;
    const owners = ownersOf(request.actor);
    const after = cursor ? decodeCursor(cursor, ORDER_ARITY) : null;
    const rows = await statementFor(owners.length, { kind: Boolean(kind), dueBefore: Boolean(dueBefore), cursor: Boolean(after) }).execute({
      ...Object.fromEntries(owners.map((owner, i) => [`owner${i}`, owner])),
      ...Object.fromEntries((after ?? []).map((value, i) => [`after${i}`, value])),
      caller: request.actor.id, kind, dueBefore, limit: limit + 1,
    });
    return toPage(rows, limit, (row) => [row.dueAt?.toISOString() ?? 'infinity', row.createdAt.toISOString(), row.processType, row.processId, row.kind], (row) => ({
      kind: row.kind, process: { type: row.processType, id: row.processId, summary: row.summary }, actions: row.actions,
      dueAt: row.dueAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(),
    }));
  });
};
