import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findCustomer } from '../../db/customers';
import { allocatePaymentId, receivePayment } from '../../db/payments';
import { fromCents, toCents } from '../../domain/money';
import { audit } from '../audit';
import { idempotent } from '../idempotency';
import { unprocessable } from '../problem';
import { IdempotencyHeaders } from '../schemas/common';
import { CreatePayment, PaymentView } from '../schemas/invoices';

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
};
