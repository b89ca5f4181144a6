import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findCustomer } from '../../db/customers';
import { findEntitlement } from '../../db/entitlement';
import { parseInstant } from '../../domain/dates';
import { notFound } from '../problem';
import { DateOnly, DateTime, IdParams, Obj } from '../schemas/common';
import { Category, Entitlement } from '../schemas/tickets';

// Entitlement on a call (issue 17 §4): what the agent asks before opening a ticket; intake stores the same verdict.
export const entitlementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/customers/:id/entitlement', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['customers'], summary: 'Whether an active service contract covers this category at this time, which one, its SLA multipliers and what is left to call off',
      params: IdParams,
      querystring: Obj({
        category: Category,
        at: Type.Optional(Type.Union([DateOnly(), DateTime()], { description: 'YYYY-MM-DD (00:00 UTC) or an ISO date-time; default now' })),
      }),
      response: { 200: Entitlement },
    },
  }, async (request) => {
    const customer = await findCustomer(app.db, request.params.id);
    if (!customer) throw notFound('customer', request.params.id);
    const at = request.query.at === undefined ? Date.now() : parseInstant(request.query.at);
    return findEntitlement(app.db, { customerId: customer.id, category: request.query.category, at });
  });
};
