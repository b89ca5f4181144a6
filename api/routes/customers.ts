import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, ilike, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { allocateCustomerId, createCustomer, setCustomerPrice, updateCustomer } from '../../db/customers';
import { findProduct } from '../../db/products';
import { contractDrawDowns, drawDownCents, openInvoices } from '../../db/reports';
import { contracts, customerContacts, customerPrices, customers, invoices, orders, tickets } from '../../db/schema';
import { FINAL_CONTRACT_STATES } from '../../domain/contracts';
import { dayOf } from '../../domain/dates';
import { fromCents } from '../../domain/money';
import { FINAL_ORDER_STATES } from '../../domain/orders';
import { remainingCents } from '../../domain/reports';
import { FINAL_TICKET_STATES } from '../../domain/tickets';
import { audit } from '../audit';
import { idempotent } from '../idempotency';
import { matching } from '../lists';
import { afterCursor, toPage } from '../pagination';
import { notFound } from '../problem';
import { IdParams, ListQuery, Money, Nullable, Obj, Page, Text } from '../schemas/common';
import { ContractStatus, ContractType } from '../schemas/contracts';
import { InvoiceView } from '../schemas/invoices';
import { OrderRow } from '../schemas/orders';
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
  creditLimit: Money('credit limit for credit-terms orders'),
  contacts: Type.Optional(Type.Array(Contact, { maxItems: 20 })),
};
const CreateCustomer = Obj(CustomerFields);
const UpdateCustomer = Obj({ ...Type.Partial(Obj(CustomerFields)).properties }, { description: 'partial update; contacts, when given, replace the list' });
const Customer = Type.Object({
  id: Type.String(), status: Type.Literal('active'), name: Type.String(), kind: Kind, tier: Tier, region: Nullable(Type.String()),
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
  receivables: Type.Object({
    asOf: Type.String(), invoices: Type.Integer(), outstanding: Type.String(), lateFees: Type.String(), total: Type.String({ description: 'what settles every open invoice today' }),
  }),
});
const CustomerPrice = Type.Object({ customerId: Type.String(), sku: Type.String(), unitPrice: Type.String(), updatedAt: Type.String() });

async function loadCustomers(db: Db, where: SQL | undefined, limit: number, order = true) {
  const rows = await db.select().from(customers).where(where).orderBy(order ? asc(customers.id) : sql`1`).limit(limit);
  const contacts = rows.length === 0 ? [] : await db.select().from(customerContacts).where(inArray(customerContacts.customerId, rows.map((r) => r.id))).orderBy(asc(customerContacts.id));
  return rows.map((row): CustomerView => ({
    id: row.id, status: 'active', name: row.name, kind: row.kind, tier: row.tier, region: row.region, creditLimit: row.creditLimit,
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
    config: { roles: ['agent', 'supervisor', 'admin'] },
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
      q ? ilike(customers.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    );
    const rows = await loadCustomers(app.db, where, limit + 1);
    return toPage(rows, limit, (row) => [row.id], (row) => row);
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
    const today = dayOf(Date.now());
    const [openTickets, openOrders, contractRows, open] = await Promise.all([
      app.db.select().from(tickets).where(and(eq(tickets.customerId, customer.id), notInArray(tickets.status, [...FINAL_TICKET_STATES])))
        .orderBy(asc(tickets.createdAt)).limit(200),
      app.db.select().from(orders).where(and(eq(orders.customerId, customer.id), notInArray(orders.status, [...FINAL_ORDER_STATES])))
        .orderBy(asc(orders.createdAt)).limit(200),
      contractDrawDowns(app.db, and(eq(contracts.customerId, customer.id), notInArray(contracts.status, [...FINAL_CONTRACT_STATES]))),
      openInvoices(app.db, eq(invoices.customerId, customer.id), today),
    ]);
    return {
      customer,
      openTickets: openTickets.map((t) => ({ id: t.id, status: t.status, tier: t.tier, priority: t.priority, subject: t.subject, breached: t.breached, nextDueAt: t.queueDueAt?.toISOString() ?? null })),
      openOrders: openOrders.map(orderRowView),
      contracts: contractRows.map((c) => ({
        id: c.id, status: c.status, type: c.type, validTo: c.validTo.toISOString(),
        targetValue: c.target, consumed: c.consumed, reserved: c.reserved, remaining: fromCents(remainingCents(drawDownCents(c))),
      })),
      openInvoices: open.items.map(({ row }) => invoiceView(row, today, open.rule)),
      receivables: { asOf: today, ...open.aged.total },
    };
  });

  app.patch('/customers/:id', {
    config: { roles: ['agent', 'supervisor', 'admin'] },
    schema: { tags: ['customers'], params: IdParams, body: UpdateCustomer, response: { 200: Customer } },
  }, async (request) => {
    const { contacts, ...fields } = request.body;
    await getCustomer(app.db, request.params.id);
    await app.db.transaction(async (tx) => {
      await updateCustomer(tx, request.params.id, fields, contacts);
      await audit(tx, request.actor, 'customer.update', 'customer', request.params.id, request.body);
    });
    return getCustomer(app.db, request.params.id);
  });

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
