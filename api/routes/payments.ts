import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { findCustomer } from '../../db/customers';
import { allocatePaymentId, allocationsOf, receivePayment, type AllocationRow, type PaymentRow } from '../../db/payments';
import { payments } from '../../db/schema';
import { fromCents, sumCents, toCents } from '../../domain/money';
import { audit } from '../audit';
import { idempotent } from '../idempotency';
import { newestFirst } from '../lists';
import { notFound, unprocessable } from '../problem';
import { IdempotencyHeaders, IdParams, ListQuery, Page } from '../schemas/common';
import { CreatePayment, PaymentRecord, PaymentStatus, PaymentView } from '../schemas/invoices';

/** A stored payment with its allocations; what is not allocated (a prepayment, an overpayment) is the rest. */
function paymentRecord(row: PaymentRow, allocations: readonly AllocationRow[]) {
  const allocated = sumCents(...allocations.map((a) => toCents(a.amount) + toCents(a.lateFee)));
  return {
    id: row.id, status: row.status, customerId: row.customerId, orderId: row.orderId, amount: row.amount, reference: row.reference,
    receivedAt: row.receivedAt.toISOString(), refundedAt: row.refundedAt?.toISOString() ?? null, recordedBy: row.recordedBy, createdAt: row.createdAt.toISOString(),
    allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount, lateFee: a.lateFee })),
    unallocated: fromCents(toCents(row.amount) - allocated),
  };
}

export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/payments', {
    config: { roles: ['finance', 'contract_admin'] },
    schema: {
      tags: ['invoices'], summary: "Record a customer's payment; it settles open invoices oldest first, late fees included", body: CreatePayment,
      headers: IdempotencyHeaders,
      response: { 201: PaymentView },
    },
  }, async (request, reply) => {
    const body = request.body;
    const customer = await findCustomer(app.db, body.customerId);
    if (!customer) throw unprocessable(`customer ${body.customerId} does not exist`, { errors: [{ path: '/customerId', message: 'unknown customer' }] });
    if (toCents(body.amount) <= 0) throw unprocessable('a payment must be more than 0.00', { errors: [{ path: '/amount', message: 'must be positive' }] });
    return idempotent(request, reply, {
      scope: 'POST /payments',
      allocateId: () => allocatePaymentId(app.db),
      run: async (paymentId) => {
        const outcome = await receivePayment(app.db, {
          paymentId, customerId: customer.id, amountCents: toCents(body.amount), reference: body.reference,
          receivedAt: body.receivedAt ?? new Date().toISOString(), recordedBy: request.actor.id, timeZone: app.config.business.timeZone,
        });
        await audit(app.db, request.actor, 'payment.receive', 'payment', paymentId, body);
        return {
          status: 201,
          body: {
            id: paymentId, customerId: customer.id, amount: body.amount, unallocated: fromCents(outcome.unallocatedCents),
            allocations: outcome.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: fromCents(a.principalCents), lateFee: fromCents(a.lateFeeCents) })),
          },
        };
      },
    });
  });

  // Payments are read by whoever reads invoices (everyone signed in), the documents they settle.
  app.get('/payments', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['invoices'], summary: 'Payments, newest first',
      querystring: ListQuery({
        customerId: Type.Optional(Type.String({ maxLength: 64 })), orderId: Type.Optional(Type.String({ maxLength: 64 })), status: Type.Optional(PaymentStatus),
      }),
      response: { 200: Page(PaymentRecord) },
    },
  }, async (request) => {
    const { customerId, orderId, status } = request.query;
    const page = await newestFirst(app.db, payments, request.query, [[payments.customerId, customerId], [payments.orderId, orderId], [payments.status, status]], (row) => row);
    const allocations = await allocationsOf(app.db, page.items.map((row) => row.id));
    return { ...page, items: page.items.map((row) => paymentRecord(row, allocations.get(row.id)!)) };
  });

  app.get('/payments/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['invoices'], params: IdParams, response: { 200: PaymentRecord } },
  }, async (request) => {
    const [row] = await app.db.select().from(payments).where(eq(payments.id, request.params.id));
    if (!row) throw notFound('payment', request.params.id);
    return paymentRecord(row, (await allocationsOf(app.db, [row.id])).get(row.id)!);
  });
};
