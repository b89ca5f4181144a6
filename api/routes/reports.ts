import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { abcReport, orderReport, ticketReport } from '../../db/reports';
import type { Role } from '../../domain/roles';
import { AbcReport, OrderReport, ReportQuery, TicketReport } from '../schemas/reports';

// SPEC §7: read-only figures for the people who steer the business. Definitions: README "Reports".
const READERS: Role[] = ['manager', 'supervisor', 'admin'];

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const options = <T>(summary: string, response: T) => ({
    config: { roles: READERS },
    schema: { tags: ['reports'], summary, querystring: ReportQuery, response: { 200: response } },
  });

  app.get('/reports/tickets', options('Tickets by status, tier and category; SLA breach, escalation and reopen rates; time to resolve; satisfaction', TicketReport),
    async (request) => ticketReport(app.db, request.query));
  app.get('/reports/orders', options('Orders by status; cycle time from received to completed; cancellation rate; revenue', OrderReport),
    async (request) => orderReport(app.db, request.query));
  app.get('/reports/customers/abc', options('Customers classed A/B/C by their share of revenue', AbcReport),
    async (request) => abcReport(app.db, request.query));
};
