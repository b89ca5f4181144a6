import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asc, eq } from 'drizzle-orm';
import { returnFactsOf } from '../../db/returns';
import { creditApplications, creditNotes, returnLines, returns } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { CrmCustomerId, CrmKind, CrmStatus } from '../../domain/search-attributes';
import { RETURN_WORKFLOW, returnOpened, returnUpdates, type ReturnInput } from '../../domain/processes/return';
import { RETURN_ACTION_NAMES, RETURN_ACTIONS, returnActions, returnProblem } from '../../domain/returns';
import type { Actor } from '../../domain/roles';
import { newestFirst } from '../lists';
import { conflict, notFound, unprocessable } from '../problem';
import { openProcess, registerProcessActions } from '../process';
import { IdempotencyHeaders, IdParams, ListQuery, Page } from '../schemas/common';
import { CreateReturn, CreditNoteView, ReturnActionBodies, ReturnRow, ReturnStatus, ReturnView } from '../schemas/returns';

type ReturnRowRecord = typeof returns.$inferSelect;
type ReturnLineRecord = typeof returnLines.$inferSelect;

function returnView(row: ReturnRowRecord, lines: ReturnLineRecord[], actor: Actor) {
  return {
    id: row.id, orderId: row.orderId, customerId: row.customerId, status: row.status, reason: row.reason, total: row.total, creditNoteId: row.creditNoteId,
    lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, lineTotal: l.lineTotal, condition: l.condition })),
    allowedActions: returnActions({ state: row.status }, actor),
    requestedBy: row.requestedBy, createdAt: row.createdAt.toISOString(), receivedAt: row.receivedAt?.toISOString() ?? null,
  };
}

export const returnRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/orders/:id/returns', {
    config: { roles: ['agent', 'fulfilment'] },
    schema: {
      tags: ['returns', 'orders'], summary: 'Take back delivered goods (RMA); answers once the return is recorded', params: IdParams, body: CreateReturn,
      headers: IdempotencyHeaders, response: { 201: ReturnView },
    },
  }, async (request, reply) => {
    const orderId = request.params.id;
    // Refuse what cannot work before a process starts; the workflow checks again under the order's lock.
    const found = await returnFactsOf(app.db, orderId, dayOf(Date.now(), app.config.business.timeZone));
    if (!found) throw notFound('order', orderId);
    const problem = returnProblem(request.body.lines, found.facts);
    if (problem?.kind === 'not_delivered') throw conflict(problem.message, { state: 'not_delivered', allowedActions: [] });
    if (problem) throw unprocessable(problem.message, { errors: problem.errors });
    return openProcess(app, request, reply, {
      kind: 'return', workflow: RETURN_WORKFLOW, opened: returnOpened,
      input: (number): ReturnInput => ({ number, orderId, lines: request.body.lines, reason: request.body.reason, actor: request.actor, timeZone: app.config.business.timeZone }),
      summary: (number) => `Return ${number} · order ${orderId} · ${request.body.lines.length} line${request.body.lines.length === 1 ? '' : 's'}`,
      details: `Order ${orderId}: ${request.body.lines.map((line) => `${line.qty} × ${line.sku}`).join(', ')}`,
      searchAttributes: [{ key: CrmKind, value: 'return' }, { key: CrmStatus, value: 'awaiting_goods' }, { key: CrmCustomerId, value: found.customerId }],
    });
  });

  app.get('/returns', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['returns'],
      querystring: ListQuery({
        orderId: Type.Optional(Type.String({ maxLength: 64 })), customerId: Type.Optional(Type.String({ maxLength: 64 })), status: Type.Optional(ReturnStatus),
      }),
      response: { 200: Page(ReturnRow) },
    },
  }, async (request) => {
    const { orderId, customerId, status } = request.query;
    const page = await newestFirst(app.db, returns, request.query, [[returns.orderId, orderId], [returns.customerId, customerId], [returns.status, status]], (row) => row);
    const lines = await Promise.all(page.items.map((row) => linesOf(row.id)));
    return { ...page, items: page.items.map((row, i) => returnView(row, lines[i]!, request.actor)) };
  });

  app.get('/returns/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['returns'], params: IdParams, response: { 200: ReturnRow } },
  }, async (request) => {
    const [row] = await app.db.select().from(returns).where(eq(returns.id, request.params.id));
    if (!row) throw notFound('return', request.params.id);
    return returnView(row, await linesOf(row.id), request.actor);
  });

  app.get('/credit-notes/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['returns', 'invoices'], params: IdParams, response: { 200: CreditNoteView } },
  }, async (request) => {
    const [row] = await app.db.select().from(creditNotes).where(eq(creditNotes.id, request.params.id));
    if (!row) throw notFound('credit note', request.params.id);
    const applications = await app.db.select({ invoiceId: creditApplications.invoiceId, amount: creditApplications.amount, appliedOn: creditApplications.appliedOn })
      .from(creditApplications).where(eq(creditApplications.creditNoteId, row.id)).orderBy(asc(creditApplications.appliedOn), asc(creditApplications.invoiceId));
    return {
      id: row.id, customerId: row.customerId, orderId: row.orderId, returnId: row.returnId, invoiceId: row.invoiceId, amount: row.amount,
      appliedToInvoice: row.appliedToInvoice, creditBalance: row.creditBalance, appliedLater: row.appliedLater, applications,
      refundAmount: row.refundAmount, refundOfPaymentId: row.refundOfPaymentId, issuedOn: row.issuedOn,
    };
  });

  await app.register(registerProcessActions({
    kind: 'return', actions: RETURN_ACTION_NAMES, rules: RETURN_ACTIONS, bodies: ReturnActionBodies, response: ReturnView, updates: returnUpdates,
  }));

  function linesOf(returnId: string) {
    return app.db.select().from(returnLines).where(eq(returnLines.returnId, returnId)).orderBy(asc(returnLines.sku));
  }
};
