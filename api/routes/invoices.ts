import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, desc, eq, gte, lt, ne, or } from 'drizzle-orm';
import { openInvoiceOf } from '../../db/invoices';
import { invoices } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { fromCents } from '../../domain/money';
import { amountDue } from '../../domain/payments';
import { matching } from '../lists';
import { afterCursor, toPage } from '../pagination';
import { notFound } from '../problem';
import { IdParams, ListQuery, Page } from '../schemas/common';
import { AsOfQuery, InvoiceStatus, InvoiceView } from '../schemas/invoices';

/** The invoice with what it owes on `asOf`; shared with the customer cockpit. */
export function invoiceView(row: typeof invoices.$inferSelect, asOf: string) {
  const due = amountDue(openInvoiceOf(row), asOf);
  return {
    id: row.id, status: row.status, customerId: row.customerId, orderId: row.orderId, contractId: row.contractId, description: row.description,
    amount: row.amount, paidAmount: row.paidAmount, lateFeePaid: row.lateFeePaid, issuedOn: row.issuedOn, dueOn: row.dueOn, paidOn: row.paidOn,
    reminderSentAt: row.reminderSentAt?.toISOString() ?? null, asOf, overdue: due.daysOverdue > 0, daysOverdue: due.daysOverdue,
    lateFee: fromCents(due.lateFeeCents), amountDue: fromCents(due.amountDueCents),
  };
}

export const invoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/invoices', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['invoices'],
      querystring: ListQuery({
        customerId: Type.Optional(Type.String({ maxLength: 64 })), status: Type.Optional(InvoiceStatus),
        overdue: Type.Optional(Type.Boolean({ description: 'open and past its due date today' })), contractId: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: Page(InvoiceView) },
    },
  }, async (request) => {
    const { limit = 50, cursor, customerId, status, overdue, contractId } = request.query;
    const today = dayOf(Date.now(), app.config.business.timeZone);
    const isOverdue = and(eq(invoices.status, 'open'), lt(invoices.dueOn, today));
    const notOverdue = or(ne(invoices.status, 'open'), gte(invoices.dueOn, today));
    const rows = await app.db.select().from(invoices).where(and(
      afterCursor([invoices.issuedOn, invoices.id], cursor, 'desc'),
      matching([[invoices.customerId, customerId], [invoices.contractId, contractId], [invoices.status, status]]),
      overdue === undefined ? undefined : overdue ? isOverdue : notOverdue,
    )).orderBy(desc(invoices.issuedOn), desc(invoices.id)).limit(limit + 1);
    return toPage(rows, limit, (row) => [row.issuedOn, row.id], (row) => invoiceView(row, today));
  });

  app.get('/invoices/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['invoices'], params: IdParams, querystring: AsOfQuery, response: { 200: InvoiceView } },
  }, async (request) => {
    const [row] = await app.db.select().from(invoices).where(eq(invoices.id, request.params.id));
    if (!row) throw notFound('invoice', request.params.id);
    return invoiceView(row, request.query.asOf ?? dayOf(Date.now(), app.config.business.timeZone));
  });
};
