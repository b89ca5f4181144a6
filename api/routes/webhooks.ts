import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { newWebhookSecret, webhookUrlRefusal } from '../../channels/webhook';
import { createWebhook, deleteWebhook, findWebhook, listWebhooks, webhookDeliveries, type WebhookRow } from '../../db/webhooks';
import { KINDS, webhookIdOf } from '../../domain/notifications';
import { audit } from '../audit';
import { beforeCursor, toPage } from '../pagination';
import { notFound, unprocessable } from '../problem';
import { IdParams, ListQuery, Literals, Nullable, Obj, Page, Text } from '../schemas/common';

const EventKind = Literals([...KINDS.filter((kind) => kind !== 'notice'), '*'], 'a notification kind, or * for all');
const Webhook = Type.Object({
  id: Type.String(), url: Type.String(), kinds: Type.Array(Type.String()), description: Nullable(Type.String()), createdBy: Type.String(), createdAt: Type.String(),
});
const Delivery = Type.Object({
  id: Type.String(), webhookId: Type.String({ description: 'the webhook-id header of every attempt' }), notificationId: Type.String(), kind: Type.String(),
  status: Literals(['pending', 'sent', 'failed']), attempts: Type.Integer(), lastResponseCode: Nullable(Type.Integer()), lastError: Nullable(Type.String()),
  createdAt: Type.String(), sentAt: Nullable(Type.String()), failedAt: Nullable(Type.String()),
});

const view = (row: WebhookRow) => ({ id: row.id, url: row.url, kinds: row.kinds, description: row.description, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() });

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/webhooks', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['webhooks'],
      description: 'Subscribes a URL to notification kinds. Deliveries are signed per Standard Webhooks with the secret, which is shown only in this answer.',
      body: Obj({ url: Type.String({ minLength: 1, maxLength: 2000 }), kinds: Type.Array(EventKind, { minItems: 1, uniqueItems: true }), description: Type.Optional(Text(500)) }),
      response: { 201: Type.Composite([Webhook, Type.Object({ secret: Type.String({ description: 'whsec_…; shown once' }) })]) },
    },
  }, async (request, reply) => {
    const { url, kinds, description } = request.body;
    const refusal = await webhookUrlRefusal(url, app.config.api.port);
    if (refusal) throw unprocessable(`url ${refusal}`, { errors: [{ path: '/url', message: refusal }] });
    const secret = newWebhookSecret();
    const row = await createWebhook(app.db, { url, kinds, secret, description: description ?? null, createdBy: request.actor.id });
    await audit(app.db, request.actor, 'webhook.create', 'webhook', row.id, { url, kinds });
    return reply.status(201).send({ ...view(row), secret });
  });

  app.get('/webhooks', {
    config: { roles: ['admin'] },
    schema: { tags: ['webhooks'], response: { 200: Type.Object({ items: Type.Array(Webhook) }) } },
  }, async () => ({ items: (await listWebhooks(app.db)).map(view) }));

  app.delete('/webhooks/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['webhooks'], params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    if (!(await deleteWebhook(app.db, request.params.id))) throw notFound('webhook', request.params.id);
    await audit(app.db, request.actor, 'webhook.delete', 'webhook', request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/webhooks/:id/deliveries', {
    config: { roles: ['admin'] },
    schema: { tags: ['webhooks'], description: 'Every delivery to the subscription, newest first.', params: IdParams, querystring: ListQuery({}), response: { 200: Page(Delivery) } },
  }, async (request) => {
    if (!(await findWebhook(app.db, request.params.id, { includeDeleted: true }))) throw notFound('webhook', request.params.id);
    const { limit = 50, cursor } = request.query;
    const rows = await webhookDeliveries(app.db, request.params.id, { before: beforeCursor(cursor), limit: limit + 1 });
    return toPage(rows, limit, (row) => [row.delivery.id], ({ delivery: d, notification: n }) => ({
        id: String(d.id), webhookId: webhookIdOf(d.id), notificationId: String(n.id), kind: n.kind, status: d.status, attempts: d.attempts,
        lastResponseCode: d.lastResponseCode, lastError: d.lastError, createdAt: d.createdAt.toISOString(), sentAt: d.sentAt?.toISOString() ?? null, failedAt: d.failedAt?.toISOString() ?? null,
    }));
  });
};
