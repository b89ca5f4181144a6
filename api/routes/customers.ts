import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, ilike, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { LANGUAGES } from '../../channels/render';
import type { Db } from '../../db/client';
import {
  allocateCustomerId, createCustomer, decideCreditLimitRequest, findCreditLimitRequest, listCreditLimitRequests, lockCreditLimit, openCreditLimitRequest,
  setCustomerPrice, updateCustomer, type CreditLimitRequestRow,
} from '../../db/customers';
import { linkedTicketsOfCustomer } from '../../db/links';
import { loadSettings } from '../../db/settings';
import { findProduct } from '../../db/products';
import { abcReport, contractDrawDowns, drawDownCents, openInvoices } from '../../db/reports';
import { contracts, customerContacts, customerPrices, customers, invoices, orders, tickets } from '../../db/schema';
import { FINAL_CONTRACT_STATES } from '../../domain/contracts';
import { addDays, dayOf } from '../../domain/dates';
import { fromCents, toCents } from '../../domain/money';
import type { FieldRules } from '../../domain/field-access';
import type { Role } from '../../domain/roles';
import { FINAL_ORDER_STATES } from '../../domain/orders';
import { AGING_BUCKETS, remainingCents } from '../../domain/reports';
import { FINAL_TICKET_STATES } from '../../domain/tickets';
import { audit } from '../audit';
import { fieldPermissions } from '../field-permissions';
import { idempotent } from '../idempotency';
import { containsPattern, matching } from '../lists';
import { afterCursor, toPage } from '../pagination';
import { conflict, HttpProblem, notFound } from '../problem';
import { IdParams, ListQuery, Literals, Money, Nullable, Obj, Page, Text } from '../schemas/common';
import { ContractStatus, ContractType } from '../schemas/contracts';
import { InvoiceView } from '../schemas/invoices';
import { AbcClass, AgingTotals } from '../schemas/reports';
import { OrderRow } from '../schemas/orders';
import { LinkedTicket } from '../schemas/tickets';
import { invoiceView } from './invoices';
import { orderRowView } from './orders';

const Kind = Type.Union([Type.Literal('individual'), Type.Literal('enterprise')]);
const Tier = Type.Union([Type.Literal('vip'), Type.Literal('key'), Type.Literal('standard')]);
const Contact = Obj({
  name: Text(200),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9+()\\-./ ]+$' })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
});
const CustomerFields = {
  name: Text(200),
  kind: Kind,
  tier: Tier,
  region: Type.Optional(Text(100)),
  language: Type.Optional(Literals(LANGUAGES, 'the language of e-mail to the contacts; default English')),
  creditLimit: Money('credit limit for credit-terms orders'),
  contacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
};
const CreateCustomer = Obj(CustomerFields);
const UpdateCustomer = Obj({
  ...Type.Partial(Obj(CustomerFields)).properties,
  reason: Type.Optional(Text(500, 'why the credit limit changes; required with creditLimit, kept in the audit log')),
}, { description: 'partial update; contacts, when given, replace the list' });
const CreditLimitRequest = Type.Object({
  id: Type.Integer(), customerId: Type.String(), fromLimit: Type.String(), toLimit: Type.String(), reason: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  requestedBy: Type.String(), requestedAt: Type.String(), decidedBy: Nullable(Type.String()), decidedAt: Nullable(Type.String()), comment: Nullable(Type.String()),
});
const RequestParams = Obj({ id: Type.String({ maxLength: 64 }), requestId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Decision = Type.Optional(Obj({ comment: Type.Optional(Text(500)) }));
const FieldPermission = Type.Union([
  Type.Object({ may: Type.Union([Type.Literal('any'), Type.Literal('none')]) }),
  Type.Object({ may: Type.Literal('equals'), value: Type.String() }),
  Type.Object({ may: Type.Literal('at-most'), value: Type.String(), setting: Type.String() }),
]);
const FieldPermissions = Nullable(Type.Record(Type.String(), FieldPermission, { description: 'each body field; null: the route does not admit the caller' }));

// Who may set what on a customer (SPEC §1, issue 20). The doors test reads these through app.routeAccess.
const MASTER_DATA_EDITORS: Role[] = ['agent', 'supervisor', 'admin'];
const TIER_SETTERS: Role[] = ['supervisor', 'sales_manager'];
const CREDIT_SETTERS: Role[] = ['finance'];
/** Creating: anyone admitted, but only finance sets any limit and only supervisors and sales managers any tier. */
export const CREATE_CUSTOMER_FIELDS: FieldRules = {
  tier: { roles: TIER_SETTERS, otherwise: { equals: 'standard' } },
  creditLimit: { roles: CREDIT_SETTERS, otherwise: { atMostSetting: 'credit.defaultLimit' } },
};
/** Changing: each field by its owners; the route admits the union of them. */
export const UPDATE_CUSTOMER_FIELDS: FieldRules = {
  name: MASTER_DATA_EDITORS, kind: MASTER_DATA_EDITORS, region: MASTER_DATA_EDITORS, language: MASTER_DATA_EDITORS, contacts: MASTER_DATA_EDITORS,
  tier: TIER_SETTERS,
  creditLimit: CREDIT_SETTERS,
  reason: CREDIT_SETTERS,
};

function requestView(row: CreditLimitRequestRow) {
  return {
    id: row.id, customerId: row.customerId, fromLimit: row.fromLimit, toLimit: row.toLimit, reason: row.reason, status: row.status,
    requestedBy: row.requestedBy, requestedAt: row.requestedAt.toISOString(), decidedBy: row.decidedBy, decidedAt: row.decidedAt?.toISOString() ?? null, comment: row.comment,
  };
}
const Customer = Type.Object({
  id: Type.String(), status: Type.Literal('active'), name: Type.String(), kind: Kind, tier: Tier, region: Nullable(Type.String()), language: Nullable(Type.String()),
  creditLimit: Type.String(), contacts: Type.Array(Type.Object({ name: Type.String(), phone: Nullable(Type.String()), email: Nullable(Type.String()) })),
  createdAt: Type.String(),
});
type CustomerView = Static<typeof Customer>;
const OverviewTicket = Type.Object({ id: Type.String(), status: Type.String(), tier: Type.String(), priority: Type.String(), subject: Type.String(), breached: Type.Boolean(), nextDueAt: Nullable(Type.String()) });
const OverviewContract = Type.Object({
  id: Type.String(), status: ContractStatus, type: ContractType, validTo: Type.String(),
  targetValue: Type.String(), consumed: Type.String(), reserved: Type.String(), remaining: Type.String({ description: 'target less consumed and reserved call-offs' }),
});
const Overview = Type.Object({
  customer: Customer,
  openTickets: Type.Array(OverviewTicket),
  openOrders: Type.Array(OrderRow),
  contracts: Type.Array(OverviewContract, { description: 'contracts not yet ended, with what remains of them' }),
  openInvoices: Type.Array(InvoiceView, { description: 'oldest due first, with late fees as of today' }),
  linkedTickets: Type.Array(LinkedTicket, { description: "the customer's tickets naming one of its orders, invoices or contracts, newest first" }),
  receivables: Type.Object({
    asOf: Type.String(), invoices: Type.Integer(), outstanding: Type.String(), lateFees: Type.String(), total: Type.String({ description: 'what settles every open invoice today' }),
    buckets: Type.Object(Object.fromEntries(AGING_BUCKETS.map((b) => [b, AgingTotals])) as Record<(typeof AGING_BUCKETS)[number], typeof AgingTotals>, { description: 'the open invoices by days overdue today' }),
  }),
  abc: Type.Object({ from: Type.String(), to: Type.String(), class: Nullable(AbcClass), revenue: Type.String(), share: Nullable(Type.Number()) }, {
    description: 'the class GET /reports/customers/abc gives the customer over the last 365 days; null without revenue in them',
  }),
});
/** The cockpit's ABC class is the trailing year's, the span an ABC analysis is usually run over (Odoo, SAP). */
const ABC_OVERVIEW_DAYS = 365;
const CustomerPrice = Type.Object({ customerId: Type.String(), sku: Type.String(), unitPrice: Type.String(), updatedAt: Type.String() });

async function loadCustomers(db: Db, where: SQL | undefined, limit: number, order = true) {
  const rows = await db.select().from(customers).where(where).orderBy(order ? asc(customers.id) : sql`1`).limit(limit);
  const contacts = rows.length === 0 ? [] : await db.select().from(customerContacts).where(inArray(customerContacts.customerId, rows.map((r) => r.id))).orderBy(asc(customerContacts.id));
  return rows.map((row): CustomerView => ({
    id: row.id, status: 'active', name: row.name, kind: row.kind, tier: row.tier, region: row.region, language: row.language, creditLimit: row.creditLimit,
    contacts: contacts.filter((c) => c.customerId === row.id).map((c) => ({ name: c.name, phone: c.phone, email: c.email })),
    createdAt: row.createdAt.toISOString(),
  }));
}

export async function getCustomer(db: Db, id: string): Promise<CustomerView> {
  const [customer] = await loadCustomers(db, eq(customers.id, id), 1);
  if (!customer) throw notFound('customer', id);
  return customer;
}

export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/customers', {
    config: { roles: MASTER_DATA_EDITORS, fields: CREATE_CUSTOMER_FIELDS },
    schema: { tags: ['customers'], body: CreateCustomer, response: { 201: Customer } },
  }, async (request, reply) => idempotent(request, reply, {
    scope: 'POST /customers',
    allocateId: () => allocateCustomerId(app.db),
    run: async (id) => {
      const { contacts = [], ...fields } = request.body;
      await app.db.transaction(async (tx) => {
        await createCustomer(tx, id, fields, contacts, request.actor.id);
        await audit(tx, request.actor, 'customer.create', 'customer', id);
      });
      return { status: 201, body: await getCustomer(app.db, id) };
    },
  }));

  app.get('/customers', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['customers'],
      querystring: ListQuery({ tier: Type.Optional(Tier), kind: Type.Optional(Kind), region: Type.Optional(Type.String({ maxLength: 100 })), q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'name contains' })) }),
      response: { 200: Page(Customer) },
    },
  }, async (request) => {
    const { limit = 50, cursor, tier, kind, region, q } = request.query;
    const where = and(
      afterCursor([customers.id], cursor),
      matching([[customers.tier, tier], [customers.kind, kind], [customers.region, region]]),
      q ? ilike(customers.name, containsPattern(q)) : undefined,
    );
    const rows = await loadCustomers(app.db, where, limit + 1);
    return toPage(rows, limit, (row) => [row.id], (row) => row);
  });

  app.get('/customers/field-access', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['customers'], summary: 'Which fields the caller may set when creating (POST /customers) and changing (PATCH /customers/:id) a customer',
      response: { 200: Type.Object({ create: FieldPermissions, update: FieldPermissions }) },
    },
  }, async (request) => {
    const settings = await loadSettings(app.db);
    const route = (method: string, url: string) => app.routeAccess.find((r) => r.method === method && r.url === url);
    return {
      create: fieldPermissions(route('POST', '/api/v1/customers'), request.actor.roles, settings),
      update: fieldPermissions(route('PATCH', '/api/v1/customers/:id'), request.actor.roles, settings),
    };
  });

  app.get('/customers/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['customers'], params: IdParams, response: { 200: Customer } },
  }, async (request) => getCustomer(app.db, request.params.id));

  app.get('/customers/:id/overview', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['customers'], summary: 'The customer cockpit: open tickets, orders, contracts, invoices and receivables in one answer', params: IdParams,
      response: { 200: Overview },
    },
  }, async (request) => {
    const customer = await getCustomer(app.db, request.params.id);
    const today = dayOf(Date.now(), app.config.business.timeZone);
    const abcRange = { from: addDays(today, -(ABC_OVERVIEW_DAYS - 1)), to: today };
    const [openTickets, openOrders, contractRows, open, abc, linkedTickets] = await Promise.all([
      app.db.select().from(tickets).where(and(eq(tickets.customerId, customer.id), notInArray(tickets.status, [...FINAL_TICKET_STATES])))
        .orderBy(asc(tickets.createdAt)).limit(200),
      app.db.select().from(orders).where(and(eq(orders.customerId, customer.id), notInArray(orders.status, [...FINAL_ORDER_STATES])))
        .orderBy(asc(orders.createdAt)).limit(200),
      contractDrawDowns(app.db, and(eq(contracts.customerId, customer.id), notInArray(contracts.status, [...FINAL_CONTRACT_STATES]))),
      openInvoices(app.db, eq(invoices.customerId, customer.id), today),
      abcReport(app.db, abcRange),
      linkedTicketsOfCustomer(app.db, customer.id),
    ]);
    const ranked = abc.customers.find((c) => c.customerId === customer.id);
    return {
      customer,
      openTickets: openTickets.map((t) => ({ id: t.id, status: t.status, tier: t.tier, priority: t.priority, subject: t.subject, breached: t.breached, nextDueAt: t.queueDueAt?.toISOString() ?? null })),
      openOrders: openOrders.map(orderRowView),
      contracts: contractRows.map((c) => ({
        id: c.id, status: c.status, type: c.type, validTo: c.validTo.toISOString(),
        targetValue: c.target, consumed: c.consumed, reserved: c.reserved, remaining: fromCents(remainingCents(drawDownCents(c))),
      })),
      openInvoices: open.items.map(({ row }) => invoiceView(row, today)),
      linkedTickets,
      receivables: { asOf: today, ...open.aged.total, buckets: open.aged.buckets },
      abc: { ...abcRange, class: ranked?.class ?? null, revenue: ranked?.revenue ?? '0.00', share: ranked?.share ?? null },
    };
  });

  app.patch('/customers/:id', {
    config: { roles: [...MASTER_DATA_EDITORS, ...TIER_SETTERS.filter((r) => !MASTER_DATA_EDITORS.includes(r)), ...CREDIT_SETTERS], fields: UPDATE_CUSTOMER_FIELDS },
    schema: {
      tags: ['customers'], params: IdParams, body: UpdateCustomer,
      description: 'A credit limit raised above the setting credit.selfServiceLimit is not changed at once: the answer is 202 with a request '
        + 'that a second finance user approves (POST /customers/:id/credit-limit-requests/:requestId/approve).',
      response: { 200: Customer, 202: Type.Object({ customer: Customer, creditLimitRequest: CreditLimitRequest }) },
    },
  }, async (request, reply) => {
    const { contacts, reason, creditLimit, ...fields } = request.body;
    const { id } = request.params;
    const current = await getCustomer(app.db, id);
    const limitChanges = creditLimit !== undefined && creditLimit !== current.creditLimit;
    if (limitChanges && !reason) {
      throw new HttpProblem(400, 'a credit limit change needs a reason', { errors: [{ path: '/reason', message: 'required with creditLimit' }] }, 'validation');
    }
    const settings = limitChanges ? await loadSettings(app.db) : null;
    const opened = await app.db.transaction(async (tx) => {
      const from = (await lockCreditLimit(tx, id))!;
      const raisedBeyondSelfService = limitChanges && toCents(creditLimit) > toCents(from) && toCents(creditLimit) > toCents(settings!['credit.selfServiceLimit'] as string);
      await updateCustomer(tx, id, limitChanges && !raisedBeyondSelfService ? { ...fields, creditLimit } : fields, contacts);
      await audit(tx, request.actor, 'customer.update', 'customer', id, request.body);
      if (!limitChanges) return null;
      if (!raisedBeyondSelfService) {
        await audit(tx, request.actor, 'customer.credit-limit.change', 'customer', id, { from, to: creditLimit, reason });
        return null;
      }
      const pending = await openCreditLimitRequest(tx, { customerId: id, fromLimit: from, toLimit: creditLimit, reason: reason!, requestedBy: request.actor.id });
      await audit(tx, request.actor, 'customer.credit-limit.request', 'customer', id, { requestId: pending.id, from, to: creditLimit, reason });
      return pending;
    });
    const customer = await getCustomer(app.db, id);
    if (opened) return reply.status(202).send({ customer, creditLimitRequest: requestView(opened) });
    return customer;
  });

  app.get('/customers/:id/credit-limit-requests', {
    config: { roles: 'authenticated' },
    schema: { tags: ['customers'], summary: "Raises of the customer's credit limit that needed a second finance user, newest first", params: IdParams, response: { 200: Type.Array(CreditLimitRequest) } },
  }, async (request) => {
    await getCustomer(app.db, request.params.id);
    return (await listCreditLimitRequests(app.db, request.params.id)).map(requestView);
  });

  for (const verb of ['approve', 'reject'] as const) {
    app.post(`/customers/:id/credit-limit-requests/:requestId/${verb}`, {
      config: { roles: CREDIT_SETTERS },
      schema: {
        tags: ['customers'], summary: `A second finance user ${verb === 'approve' ? 'approves a raise (the limit changes)' : 'rejects a raise'}; never the one who asked`,
        params: RequestParams, body: Decision, response: { 200: Type.Object({ customer: Customer, creditLimitRequest: CreditLimitRequest }) },
      },
    }, async (request) => {
      const { id, requestId } = request.params;
      const decided = await app.db.transaction(async (tx) => {
        const limit = await lockCreditLimit(tx, id);
        if (limit === null) throw notFound('customer', id);
        const pending = await findCreditLimitRequest(tx, id, requestId, true);
        if (!pending) throw notFound('credit limit request', `${id}/${requestId}`);
        if (pending.status !== 'pending') throw conflict(`credit limit request ${requestId} is already ${pending.status}`, { state: pending.status, allowedActions: [] });
        if (pending.requestedBy === request.actor.id) {
          throw new HttpProblem(403, `four eyes: you asked for this raise (${pending.fromLimit} → ${pending.toLimit}); another finance user decides it`, { rule: 'four-eyes' }, 'four-eyes');
        }
        if (verb === 'approve' && limit !== pending.fromLimit) {
          throw conflict(`the credit limit changed from ${pending.fromLimit} to ${limit} since the raise was asked for; reject it and ask again`, { state: 'stale', allowedActions: ['reject'] });
        }
        const row = await decideCreditLimitRequest(tx, pending, { approve: verb === 'approve', decidedBy: request.actor.id, comment: request.body?.comment ?? null });
        await audit(tx, request.actor, `customer.credit-limit.${verb}`, 'customer', id, { requestId, from: pending.fromLimit, to: pending.toLimit, requestedBy: pending.requestedBy, comment: row.comment });
        return row;
      });
      return { customer: await getCustomer(app.db, id), creditLimitRequest: requestView(decided) };
    });
  }

  app.get('/customers/:id/prices', {
    config: { roles: 'authenticated' },
    schema: { tags: ['customers'], params: IdParams, response: { 200: Type.Array(CustomerPrice) } },
  }, async (request) => {
    await getCustomer(app.db, request.params.id);
    const rows = await app.db.select().from(customerPrices).where(eq(customerPrices.customerId, request.params.id)).orderBy(asc(customerPrices.sku));
    return rows.map((r) => ({ customerId: r.customerId, sku: r.sku, unitPrice: r.unitPrice, updatedAt: r.updatedAt.toISOString() }));
  });

  app.put('/customers/:id/prices/:sku', {
    config: { roles: ['admin', 'sales_manager'] },
    schema: {
      tags: ['customers'],
      params: Obj({ id: Type.String({ maxLength: 64 }), sku: Type.String({ maxLength: 64 }) }),
      body: Obj({ unitPrice: Money('customer-specific unit price; wins over the list price') }),
      response: { 200: CustomerPrice },
    },
  }, async (request) => {
    const { id, sku } = request.params;
    await getCustomer(app.db, id);
    if (!(await findProduct(app.db, sku))) throw notFound('product', sku);
    const row = await setCustomerPrice(app.db, { customerId: id, sku, unitPrice: request.body.unitPrice, updatedBy: request.actor.id });
    await audit(app.db, request.actor, 'customer.price.set', 'customer', id, { sku, unitPrice: request.body.unitPrice });
    return { customerId: row.customerId, sku: row.sku, unitPrice: row.unitPrice, updatedAt: row.updatedAt.toISOString() };
  });
};
