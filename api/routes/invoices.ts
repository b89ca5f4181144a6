import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, desc, eq, gte, lt, ne, or } from 'drizzle-orm';
import { openInvoiceOf } from '../../db/invoices';
import { ticketsLinkedTo } from '../../db/links';
import { invoices } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { fromCents } from '../../domain/money';
import { amountDue } from '../../domain/payments';
import { matching } from '../lists';
import { afterCursor, toPage } from '../pagination';
import { notFound } from '../problem';
import { DateOnly, IdParams, ListQuery, Page } from '../schemas/common';
import { AsOfQuery, InvoiceDetail, InvoiceStatus, InvoiceView } from '../schemas/invoices';

/** The invoice with what it owes on `asOf`; shared with the customer cockpit. */
export function invoiceView(row: typeof invoices.$inferSelect, asOf: string) {
  const due = amountDue(openInvoiceOf(row), asOf);
  return {
    id: row.id, status: row.status, customerId: row.customerId, orderId: row.orderId, contractId: row.contractId, description: row.description,
    amount: row.amount, paidAmount: row.paidAmount, creditedAmount: row.creditedAmount, lateFeePaid: row.lateFeePaid, issuedOn: row.issuedOn, dueOn: row.dueOn, paidOn: row.paidOn,
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
        overdue: Type.Optional(Type.Boolean({ description: 'open and past its due date on asOf (today)' })), contractId: Type.Optional(Type.String({ maxLength: 64 })),
        asOf: Type.Optional(DateOnly('day each amount due, late fee and days overdue are counted to; default today (UTC)')),
      }),
      response: { 200: Page(InvoiceView) },
    },
  }, async (request) => {
    const { limit = 50, cursor, customerId, status, overdue, contractId, asOf } = request.query;
    const day = asOf ?? dayOf(Date.now(), app.config.business.timeZone);
    const isOverdue = and(eq(invoices.status, 'open'), lt(invoices.dueOn, day));
    const notOverdue = or(ne(invoices.status, 'open'), gte(invoices.dueOn, day));
    const rows = await app.db.select().from(invoices).where(and(
      afterCursor([invoices.issuedOn, invoices.id], cursor, 'desc'),
      matching([[invoices.customerId, customerId], [invoices.contractId, contractId], [invoices.status, status]]),
      overdue === undefined ? undefined : overdue ? isOverdue : notOverdue,
    )).orderBy(desc(invoices.issuedOn), desc(invoices.id)).limit(limit + 1);
    return toPage(rows, limit, (row) => [row.issuedOn, row.id], (row) => invoiceView(row, day));
  });

  app.get('/invoices/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['invoices'], params: IdParams, querystring: AsOfQuery, response: { 200: InvoiceDetail } },
  }, async (request) => {
    const [row] = await app.db.select().from(invoices).where(eq(invoices.id, request.params.id));
    if (!row) throw notFound('invoice', request.params.id);
    const linkedTickets = await ticketsLinkedTo(app.db, 'invoice', row.id);
    return { ...invoiceView(row, request.query.asOf ?? dayOf(Date.now(), app.config.business.timeZone)), linkedTickets };
  });
};
