import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { abcReport, articleReport, contractReport, orderReport, receivablesReport, ticketDailyReport, ticketReport } from '../../db/reports';
import { addDays, calendarDay, dayOf } from '../../domain/dates';
import { MAX_REPORT_DAYS } from '../../domain/reports';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../domain/roles';
import { HttpProblem } from '../problem';
import { AbcReport, ArticleReport, ContractReport, DailyReportQuery, OrderReport, ReceivablesQuery, ReceivablesReport, ReportQuery, TicketDailyReport, TicketReport } from '../schemas/reports';

// SPEC §7: read-only figures for the people who steer the business. Definitions: README "Reports".
const READERS: Role[] = ['manager', 'supervisor', 'admin'];

/** A range that ends before it starts counts nothing, and is surely a mistake: refused, not answered with zeros. */
async function rangeInOrder(request: FastifyRequest) {
  const { from, to } = request.query as { from?: string; to?: string };
  if (from && to && from > to) {
    throw new HttpProblem(400, `from (${from}) is later than to (${to})`, { errors: [{ path: '/querystring/from', message: 'must not be later than to' }] }, 'validation');
  }
}

/** A per-day report's range: to defaults to today, from to 29 days before it (30 days), and it spans at most a year. */
function dailyRange(query: { from?: string; to?: string }, timeZone: string) {
  const to = query.to ?? dayOf(Date.now(), timeZone);
  const from = query.from ?? addDays(to, -29);
  if (calendarDay(to) - calendarDay(from) + 1 > MAX_REPORT_DAYS) {
    throw new HttpProblem(400, `a per-day report spans at most ${MAX_REPORT_DAYS} days; ${from} to ${to} is longer`, { errors: [{ path: '/querystring/from', message: `at most ${MAX_REPORT_DAYS} days before to` }] }, 'validation');
  }
  return { from, to };
}

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** Report days are days of the business time zone (Appendix A), as invoices' and contracts' days are. */
  const scope = <Q extends object>(query: Q) => ({ ...query, timeZone: app.config.business.timeZone });
  // Days are YYYY-MM-DD (the schema's format), so their text order is their date order.
  app.addHook('preHandler', rangeInOrder);
  const options = <T>(summary: string, response: T) => ({
    config: { roles: READERS },
    schema: { tags: ['reports'], summary, querystring: ReportQuery, response: { 200: response } },
  });

  app.get('/reports/tickets', options('Tickets by status, tier and category; SLA breach, escalation and reopen rates; time to resolve; satisfaction', TicketReport),
    async (request) => ticketReport(app.db, scope(request.query)));
  app.get('/reports/tickets/daily', {
    config: { roles: READERS },
    schema: {
      tags: ['reports'], summary: "Per day: SLA breaches by tier and priority, and the tickets waiting in each tier's queue at the day's end",
      querystring: DailyReportQuery, response: { 200: TicketDailyReport },
    },
  }, async (request) => ticketDailyReport(app.db, { ...scope(request.query), ...dailyRange(request.query, app.config.business.timeZone) }));
  app.get('/reports/orders', options('Orders by status; cycle time from received to completed; cancellation rate; revenue', OrderReport),
    async (request) => orderReport(app.db, scope(request.query)));
  app.get('/reports/contracts', options('Active contract value, contracts expiring within 30/60/90 days, consumption, renewal rate', ContractReport),
    async (request) => contractReport(app.db, scope(request.query)));
  // Receivables are finance's own figures (SPEC §7): who records the payments reads what is still owed.
  app.get('/reports/receivables', {
    config: { roles: [...READERS, 'finance'] },
    schema: { tags: ['reports'], summary: 'Open invoices aged 0–30/31–60/61–90/>90 days overdue, with late fees as of a day', querystring: ReceivablesQuery, response: { 200: ReceivablesReport } },
  }, async (request) => receivablesReport(app.db, scope(request.query)));
  app.get('/reports/articles', {
    config: { roles: [...READERS, 'knowledge_engineer'] },
    schema: { tags: ['reports'], summary: 'Articles cited by resolutions, and how many of those resolved at L1 (days of the resolution)', querystring: ReportQuery, response: { 200: ArticleReport } },
  }, async (request) => articleReport(app.db, scope(request.query)));
  app.get('/reports/customers/abc', options('Customers classed A/B/C by their share of revenue', AbcReport),
    async (request) => abcReport(app.db, scope(request.query)));
};
