import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asc, eq } from 'drizzle-orm';
import { ticketsLinkedTo } from '../../db/links';
import { loadOrderQuote } from '../../db/orders';
import { orderEvents, orderLines, orders, shipments } from '../../db/schema';
import { loadSettings } from '../../db/settings';
import { backordersOf, MAX_STOCK, restock } from '../../db/stock';
import { findProduct } from '../../db/products';
import { dayOf } from '../../domain/dates';
import { amountAttribute } from '../../domain/money';
import { hasCreditLine, intakeProblems, ORDER_ACTION_NAMES, ORDER_ACTIONS, orderSummary } from '../../domain/orders';
import { priceOrder } from '../../domain/pricing';
import { CrmAmount, CrmCustomerId, CrmCustomerTier, CrmKind, CrmStatus } from '../../domain/search-attributes';
import {
  activationConfirmed, carrierDelivered, ORDER_WORKFLOW, orderOpened, orderState, orderUpdates, restocked, type OrderInput,
} from '../../domain/processes/order';
import { CARRIER, ORDER_PROCESS, PROVISIONING } from '../../domain/processes/order-state';
import { actorNamer } from '../actors';
import { audit } from '../audit';
import { newestFirst } from '../lists';
import { HttpProblem, notFound, unprocessable } from '../problem';
import { openProcess, queryProcess, registerProcessActions, signalProcess } from '../process';
import { IdempotencyHeaders, IdParams, ListQuery, Obj, Page } from '../schemas/common';
import { CarrierEvent, CreateOrder, OrderActionBodies, OrderDetail, OrderRow, OrderStatus, OrderView, PaymentTerms, ProvisioningEvent, Restock } from '../schemas/orders';
import { Product, viewProduct } from './products';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An order as lists show it; shared with the customer cockpit. */
export function orderRowView(row: typeof orders.$inferSelect) {
  return {
    id: row.id, status: row.status, customerId: row.customerId, paymentTerms: row.paymentTerms, contractId: row.contractId, total: row.total,
    invoiceId: row.invoiceId, paymentId: row.paymentId, cancelReason: row.cancelReason,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(), closedAt: iso(row.closedAt),
  };
}

const Accepted = Type.Object({ orderId: Type.String(), accepted: Type.Boolean() });

export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/orders', {
    config: { roles: ['agent', 'supervisor'] },
    schema: {
      tags: ['orders'], summary: 'Take an order (intake); answers once it is priced', body: CreateOrder,
      headers: IdempotencyHeaders,
      response: { 201: OrderView },
    },
  }, async (request, reply) => {
    const body = request.body;
    const lineProblems = intakeProblems(body.lines);
    if (lineProblems.length > 0) throw unprocessable(lineProblems.map((p) => p.message).join('; '), { errors: lineProblems });
    // Refuse what cannot work before a process starts; the workflow prices again for the order it keeps.
    const quote = await loadOrderQuote(app.db, { customerId: body.customerId, lines: body.lines, on: dayOf(Date.now(), app.config.business.timeZone) });
    if ('problems' in quote) throw unprocessable(quote.problems.map((p) => p.message).join('; '), { errors: quote.problems });
    if (body.paymentTerms === 'credit' && !hasCreditLine(quote.creditLimitCents)) {
      throw unprocessable(`customer ${body.customerId} has no credit line; order on prepaid or cod terms`, { errors: [{ path: '/paymentTerms', message: 'no credit line' }] });
    }
    if (body.paymentTerms === 'credit' && !body.contractId && (await loadSettings(app.db))['order.creditRequiresContract'] === true) {
      throw unprocessable('credit terms need a contract (order.creditRequiresContract): order against the customer\'s contract, or on prepaid or cod terms', {
        errors: [{ path: '/contractId', message: 'required for credit terms' }],
      });
    }
    const quoted = priceOrder(quote.lines);
    return openProcess(app, request, reply, {
      kind: 'order', workflow: ORDER_WORKFLOW, opened: orderOpened,
      input: (number): OrderInput => ({ number, ...body, actor: request.actor, timeZone: app.config.business.timeZone }),
      summary: (number) => orderSummary({ number, lineCount: body.lines.length, totalCents: quoted.totalCents, paymentTerms: body.paymentTerms, contractId: body.contractId }),
      // Numbers and codes only: the delivery address stays in the encrypted payloads.
      details: `Customer ${body.customerId}: ${body.lines.map((line) => `${line.qty} × ${line.sku}`).join(', ')}`,
      searchAttributes: [
        { key: CrmKind, value: 'order' }, { key: CrmStatus, value: 'received' }, { key: CrmCustomerId, value: body.customerId },
        { key: CrmCustomerTier, value: quote.customerTier },
        // A call-off's amount is known once the contract has priced it; the workflow sets it then.
        ...(body.contractId ? [] : [{ key: CrmAmount, value: amountAttribute(quoted.totalCents) }]),
      ],
    });
  });

  app.get('/orders', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['orders'],
      querystring: ListQuery({ status: Type.Optional(OrderStatus), customerId: Type.Optional(Type.String({ maxLength: 64 })), paymentTerms: Type.Optional(PaymentTerms) }),
      response: { 200: Page(OrderRow) },
    },
  }, async (request) => {
    const { status, customerId, paymentTerms } = request.query;
    return newestFirst(app.db, orders, request.query, [[orders.status, status], [orders.customerId, customerId], [orders.paymentTerms, paymentTerms]], orderRowView);
  });

  app.get('/orders/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['orders'], params: IdParams, response: { 200: OrderDetail } },
  }, async (request) => {
    const row = await findOrder(request.params.id);
    const [lines, events, [shipment], live, linkedTickets] = await Promise.all([
      app.db.select().from(orderLines).where(eq(orderLines.orderId, row.id)).orderBy(asc(orderLines.lineNo)),
      app.db.select().from(orderEvents).where(eq(orderEvents.orderId, row.id)).orderBy(asc(orderEvents.seq)),
      app.db.select().from(shipments).where(eq(shipments.orderId, row.id)),
      queryProcess(app.temporal, row.workflowId, orderState, request.actor),
      ticketsLinkedTo(app.db, 'order', row.id),
    ]);
    const nameOf = await actorNamer(app.db, events.map((e) => e.actorId), [ORDER_PROCESS, CARRIER, PROVISIONING]);
    return {
      ...orderRowView(row), deliveryAddress: row.deliveryAddress, live, linkedTickets,
      lines: lines.map((l) => ({
        sku: l.sku, kind: l.kind, qty: l.qty, priceRule: l.priceRule, promotionId: l.promotionId, percentOff: l.percentOff,
        baseUnitPrice: l.baseUnitPrice, unitPrice: l.unitPrice, lineTotal: l.lineTotal,
      })),
      shipment: shipment ? { carrier: shipment.carrier, trackingNo: shipment.trackingNo, shippedAt: shipment.shippedAt.toISOString(), deliveredAt: iso(shipment.deliveredAt) } : null,
      timeline: events.map((e) => ({ seq: e.seq, action: e.action, actorId: e.actorId, actorName: nameOf(e.actorId), fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, at: e.at.toISOString() })),
    };
  });

  await app.register(registerProcessActions({
    kind: 'order', actions: ORDER_ACTION_NAMES, rules: ORDER_ACTIONS, bodies: OrderActionBodies, response: OrderView, updates: orderUpdates,
    // The order refuses its placer's credit decision unless it started with fourEyes.creditDecision off.
    overrideOf: async (action, id, actor) => {
      if (action !== 'credit-decision') return null;
      const [row] = await app.db.select({ createdBy: orders.createdBy }).from(orders).where(eq(orders.id, id));
      return row?.createdBy === actor.id ? { rule: 'fourEyes.creditDecision', actorWas: 'placed' } : null;
    },
  }));

  app.post('/products/:sku/restock', {
    config: { roles: ['fulfilment', 'admin'] },
    schema: {
      tags: ['products', 'orders'], summary: 'Goods arrived: raise stock on hand and wake the orders waiting for them',
      params: Obj({ sku: Type.String({ maxLength: 64 }) }), body: Restock,
      response: { 200: Type.Composite([Product, Type.Object({ wokenOrders: Type.Array(Type.String()) })]) },
    },
  }, async (request) => {
    const { sku } = request.params;
    const outcome = await restock(app.db, sku, request.body.qty);
    if ('refused' in outcome) {
      if (outcome.refused === 'unknown-product') throw notFound('product', sku);
      if (outcome.refused === 'service') throw unprocessable(`${sku} is a service; services carry no stock`);
      throw unprocessable(`stock of ${sku} cannot exceed ${MAX_STOCK}`, { errors: [{ path: '/qty', message: 'too large for the stock on hand' }] });
    }
    // The other half of the stock protocol (db/stock.ts): the committed restock wakes the orders waiting for it.
    const { product: row, waiting } = outcome;
    const woken = await Promise.all(waiting.map(async (order) => ((await signalProcess(app.temporal, order.workflowId, restocked, { sku })) ? order.id : null)));
    await audit(app.db, request.actor, 'product.restock', 'product', sku, request.body);
    return { ...viewProduct(row), wokenOrders: woken.filter((id): id is string => id !== null) };
  });

  app.get('/products/:sku/backorders', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['products', 'orders'], summary: 'The orders waiting for this sku, longest first: what a restock of it would wake',
      params: Obj({ sku: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.Array(Type.Object({ orderId: Type.String(), customerId: Type.String(), qty: Type.Integer(), waitingSince: Type.String() })) },
    },
  }, async (request) => {
    const { sku } = request.params;
    if (!(await findProduct(app.db, sku))) throw notFound('product', sku);
    const rows = await backordersOf(app.db, sku);
    return rows.map((row) => ({ ...row, waitingSince: row.waitingSince.toISOString() }));
  });

  app.post('/webhooks/carrier', {
    config: { roles: ['fulfilment'] },
    schema: { tags: ['orders'], summary: "A carrier's tracking event; `delivered` completes the delivery", body: CarrierEvent, response: { 202: Accepted } },
  }, async (request, reply) => {
    const [order] = await app.db.select({ id: orders.id, workflowId: orders.workflowId }).from(shipments)
      .innerJoin(orders, eq(orders.id, shipments.orderId)).where(eq(shipments.trackingNo, request.body.trackingNo));
    if (!order) throw notFound('shipment with tracking number', request.body.trackingNo);
    const accepted = request.body.event === 'delivered' && (await signalProcess(app.temporal, order.workflowId, carrierDelivered, { trackingNo: request.body.trackingNo }));
    await audit(app.db, request.actor, `order.carrier.${request.body.event}`, 'order', order.id, request.body);
    return reply.status(202).send({ orderId: order.id, accepted });
  });

  app.post('/webhooks/provisioning', {
    config: { roles: ['fulfilment'] },
    schema: { tags: ['orders'], summary: 'The provisioning platform confirms that an order\'s services are active', body: ProvisioningEvent, response: { 202: Accepted } },
  }, async (request, reply) => {
    const order = await findOrder(request.body.orderId);
    if (order.status !== 'provisioning') throw new HttpProblem(409, `order ${order.id} is ${order.status}, not provisioning`, { state: order.status, allowedActions: [] }, 'invalid-state');
    const accepted = await signalProcess(app.temporal, order.workflowId, activationConfirmed);
    await audit(app.db, request.actor, 'order.activation-confirmed', 'order', order.id);
    return reply.status(202).send({ orderId: order.id, accepted });
  });

  async function findOrder(id: string) {
    const [row] = await app.db.select().from(orders).where(eq(orders.id, id));
    if (!row) throw notFound('order', id);
    return row;
  }
};
