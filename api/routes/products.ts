import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, ilike, isNull, or } from 'drizzle-orm';
import { createProduct, createPromotion, findProduct, updateProduct } from '../../db/products';
import { products, promotions } from '../../db/schema';
import { dayOf } from '../../domain/dates';
import { audit } from '../audit';
import { containsPattern } from '../lists';
import { afterCursor, toPage } from '../pagination';
import { HttpProblem, notFound } from '../problem';
import { DateOnly, IdParams, ListQuery, Money, Nullable, Obj, Page, Text } from '../schemas/common';

const Kind = Type.Union([Type.Literal('goods'), Type.Literal('service')]);
const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'stock keeping unit' });
export const Product = Type.Object({
  sku: Type.String(), id: Type.String(), status: Type.Literal('active'), name: Type.String(), kind: Kind, listPrice: Type.String(),
  stockOnHand: Type.Integer(), stockReserved: Type.Integer(), stockAvailable: Type.Integer(), createdAt: Type.String(),
});
const Promotion = Type.Object({
  id: Type.String(), status: Type.Union([Type.Literal('scheduled'), Type.Literal('active'), Type.Literal('ended')]),
  sku: Nullable(Type.String()), percentOff: Type.String(), validFrom: Type.String(), validTo: Type.String(),
});
const SkuParams = Obj({ sku: Type.String({ maxLength: 64 }) });

export function viewProduct(row: typeof products.$inferSelect) {
  return {
    sku: row.sku, id: row.sku, status: 'active' as const, name: row.name, kind: row.kind, listPrice: row.listPrice,
    stockOnHand: row.stockOnHand, stockReserved: row.stockReserved, stockAvailable: row.stockOnHand - row.stockReserved,
    createdAt: row.createdAt.toISOString(),
  };
}

function viewPromotion(row: typeof promotions.$inferSelect, today: string) {
  const status = today < row.validFrom ? 'scheduled' : today > row.validTo ? 'ended' : 'active';
  return { id: row.id, status: status as 'scheduled' | 'active' | 'ended', sku: row.sku, percentOff: row.percentOff, validFrom: row.validFrom, validTo: row.validTo };
}

export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/products', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['products'],
      body: Obj({ sku: Sku, name: Text(200), kind: Kind, listPrice: Money(), stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'initial stock on hand (goods)' })) }),
      response: { 201: Product },
    },
  }, async (request, reply) => {
    const { stock, ...fields } = request.body;
    if (fields.kind === 'service' && stock) throw new HttpProblem(400, 'services carry no stock', { errors: [{ path: '/stock', message: 'must be absent for a service' }] });
    const row = await createProduct(app.db, { ...fields, stockOnHand: stock ?? 0 });
    if (!row) throw new HttpProblem(409, `product ${fields.sku} already exists`);
    await audit(app.db, request.actor, 'product.create', 'product', row.sku);
    return reply.status(201).send(viewProduct(row));
  });

  app.get('/products', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['products'],
      querystring: ListQuery({ kind: Type.Optional(Kind), q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'sku or name contains' })) }),
      response: { 200: Page(Product) },
    },
  }, async (request) => {
    const { limit = 50, cursor, kind, q } = request.query;
    const pattern = q ? containsPattern(q) : null;
    const rows = await app.db.select().from(products)
      .where(and(afterCursor([products.sku], cursor), kind ? eq(products.kind, kind) : undefined, pattern ? or(ilike(products.sku, pattern), ilike(products.name, pattern)) : undefined))
      .orderBy(asc(products.sku)).limit(limit + 1);
    return toPage(rows, limit, (row) => [row.sku], viewProduct);
  });

  app.get('/products/:sku', {
    config: { roles: 'authenticated' },
    schema: { tags: ['products'], params: SkuParams, response: { 200: Product } },
  }, async (request) => {
    const row = await findProduct(app.db, request.params.sku);
    if (!row) throw notFound('product', request.params.sku);
    return viewProduct(row);
  });

  app.patch('/products/:sku', {
    config: { roles: ['admin'] },
    schema: { tags: ['products'], params: SkuParams, body: Obj({ name: Type.Optional(Text(200)), listPrice: Type.Optional(Money()) }), response: { 200: Product } },
  }, async (request) => {
    const row = await updateProduct(app.db, request.params.sku, request.body);
    if (!row) throw notFound('product', request.params.sku);
    await audit(app.db, request.actor, 'product.update', 'product', row.sku, request.body);
    return viewProduct(row);
  });

  app.post('/promotions', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['products'],
      body: Obj({ sku: Type.Optional(Sku), percentOff: Type.Number({ exclusiveMinimum: 0, maximum: 100, multipleOf: 0.01 }), validFrom: DateOnly(), validTo: DateOnly() }),
      response: { 201: Promotion },
    },
  }, async (request, reply) => {
    const { sku, percentOff, validFrom, validTo } = request.body;
    if (validFrom > validTo) throw new HttpProblem(400, 'validFrom is after validTo', { errors: [{ path: '/validTo', message: 'must not be before validFrom' }] });
    if (sku) {
      if (!(await findProduct(app.db, sku))) throw notFound('product', sku);
    }
    const row = await createPromotion(app.db, { sku: sku ?? null, percentOff: percentOff.toFixed(2), validFrom, validTo, createdBy: request.actor.id });
    await audit(app.db, request.actor, 'promotion.create', 'promotion', row.id, request.body);
    return reply.status(201).send(viewPromotion(row, dayOf(Date.now())));
  });

  app.get('/promotions', {
    config: { roles: 'authenticated' },
    schema: { tags: ['products'], querystring: ListQuery({
        sku: Type.Optional(Type.String({ maxLength: 64, description: "only this sku's own promotions" })),
        appliesTo: Type.Optional(Type.String({ maxLength: 64, description: "the promotions that can price this sku: its own and those covering every product" })),
      }),
      response: { 200: Page(Promotion) },
    },
  }, async (request) => {
    const { limit = 50, cursor, sku, appliesTo } = request.query;
    const rows = await app.db.select().from(promotions)
      .where(and(afterCursor([promotions.id], cursor), sku ? eq(promotions.sku, sku) : undefined, appliesTo ? or(eq(promotions.sku, appliesTo), isNull(promotions.sku)) : undefined))
      .orderBy(asc(promotions.id)).limit(limit + 1);
    const today = dayOf(Date.now());
    return toPage(rows, limit, (row) => [row.id], (row) => viewPromotion(row, today));
  });

  app.get('/promotions/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['products'], params: IdParams, response: { 200: Promotion } },
  }, async (request) => {
    const [row] = await app.db.select().from(promotions).where(eq(promotions.id, request.params.id));
    if (!row) throw notFound('promotion', request.params.id);
    return viewPromotion(row, dayOf(Date.now()));
  });
};
