import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { render } from '../../channels/render';
import { failures, inbox, markRead, preferencesOf, setPreferences, unreadCount, type InboxItem } from '../../db/notifications';
import { isMandatory, KINDS, NOTIFICATION_KINDS } from '../../domain/notifications';
import { audit } from '../audit';
import { beforeCursor, toPage } from '../pagination';
import { notFound, unprocessable } from '../problem';
import { ListQuery, Literals, Nullable, Obj, Page } from '../schemas/common';

const Kind = Literals(KINDS.filter((kind) => kind !== 'notice'));
const Resource = Type.Object({ type: Type.String(), id: Type.String() });
const InboxEntry = Type.Object({
  id: Type.String(), kind: Type.String(), subject: Type.String(), body: Type.String(), resource: Resource,
  link: Type.String({ description: 'the record in the console' }), createdAt: Type.String(), readAt: Nullable(Type.String()),
});
const Failure = Type.Object({
  id: Type.String(), notificationId: Type.String(), kind: Type.String(), channel: Type.String(), address: Type.String(), resource: Resource,
  reason: Nullable(Type.String()), attempts: Type.Integer(), lastResponseCode: Nullable(Type.Integer()), failedAt: Nullable(Type.String()),
});
const Preference = Type.Object({
  kind: Type.String(), description: Type.String(), inbox: Type.Boolean(), email: Type.Boolean(),
  mandatory: Type.Boolean({ description: 'your role must receive it: it cannot be turned off' }),
});
const Preferences = Type.Object({ preferences: Type.Array(Preference) });
const PreferenceChanges = Obj({
  preferences: Type.Array(Obj({ kind: Kind, inbox: Type.Optional(Type.Boolean()), email: Type.Optional(Type.Boolean()) }), { minItems: 1, maxItems: KINDS.length }),
});
const DeliveryParams = Obj({ id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'an inbox entry id' }) });

const deliveryKey = (row: InboxItem) => [row.delivery.id];

export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const consoleLink = (type: string, id: string) => `${app.config.notifications.publicUrl}/console/#/${type}s/${encodeURIComponent(id)}`;
  const entry = ({ delivery, notification }: InboxItem) => {
    const link = consoleLink(notification.resourceType, notification.resourceId);
    const words = render(notification.kind, delivery.language, notification.data, null);
    return {
      id: String(delivery.id), kind: notification.kind, subject: words.subject, body: words.text.trim(), resource: { type: notification.resourceType, id: notification.resourceId },
      link, createdAt: notification.createdAt.toISOString(), readAt: delivery.readAt?.toISOString() ?? null,
    };
  };

  app.get('/notifications', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['notifications'], description: "The caller's in-app inbox, newest first.",
      querystring: ListQuery({ unread: Type.Optional(Type.Boolean({ description: 'only unread entries' })) }),
      response: { 200: Type.Composite([Page(InboxEntry), Type.Object({ unread: Type.Integer({ description: 'unread entries in all' }) })]) },
    },
  }, async (request) => {
    const { limit = 50, cursor, unread = false } = request.query;
    const rows = await inbox(app.db, request.actor.id, { unread, before: beforeCursor(cursor), limit: limit + 1 });
    return { ...toPage(rows, limit, deliveryKey, entry), unread: await unreadCount(app.db, request.actor.id) };
  });

  app.post('/notifications/:id/read', {
    config: { roles: 'authenticated' },
    schema: { tags: ['notifications'], params: DeliveryParams, body: Type.Optional(Obj({})), response: { 200: InboxEntry } },
  }, async (request) => {
    const row = await markRead(app.db, request.actor.id, Number(request.params.id));
    if (!row) throw notFound('notification', request.params.id);
    return entry(row);
  });

  app.get('/notifications/failures', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['notifications'], description: 'Deliveries that stopped for good (a refused address or URL, or retries run out), newest first.',
      querystring: ListQuery({}), response: { 200: Page(Failure) },
    },
  }, async (request) => {
    const { limit = 50, cursor } = request.query;
    const rows = await failures(app.db, { before: beforeCursor(cursor), limit: limit + 1 });
    return toPage(rows, limit, deliveryKey, ({ delivery, notification }) => ({
      id: String(delivery.id), notificationId: String(notification.id), kind: notification.kind, channel: delivery.channel, address: delivery.address,
      resource: { type: notification.resourceType, id: notification.resourceId }, reason: delivery.lastError, attempts: delivery.attempts,
      lastResponseCode: delivery.lastResponseCode, failedAt: delivery.failedAt?.toISOString() ?? null,
    }));
  });

  const preferences = async (actor: { id: string; roles: Parameters<typeof preferencesOf>[1]['roles'] }) => ({
    preferences: (await preferencesOf(app.db, actor)).map((p) => ({ ...p, description: NOTIFICATION_KINDS[p.kind].description })),
  });

  app.get('/me/notification-preferences', {
    config: { roles: 'authenticated' },
    schema: { tags: ['notifications'], description: 'Which kinds reach you in the inbox and by e-mail.', response: { 200: Preferences } },
  }, async (request) => preferences(request.actor));

  app.put('/me/notification-preferences', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['notifications'], description: 'Turns channels on or off per kind; kinds not named keep their setting.',
      body: PreferenceChanges, response: { 200: Preferences },
    },
  }, async (request) => {
    const { actor } = request;
    const refused = request.body.preferences.filter((p) => isMandatory(p.kind, actor.roles) && (p.inbox === false || p.email === false));
    if (refused.length > 0) {
      throw unprocessable(`${refused.map((p) => p.kind).join(', ')} cannot be turned off: supervisors must see SLA breaches and VIP intake`, {
        errors: refused.map((p) => ({ path: `/preferences/${request.body.preferences.indexOf(p)}`, message: 'mandatory for your role' })),
      });
    }
    await app.db.transaction(async (tx) => {
      await setPreferences(tx, actor.id, request.body.preferences);
      await audit(tx, actor, 'notification-preferences.update', 'user', actor.id, { preferences: request.body.preferences });
    });
    return preferences(actor);
  });
};
