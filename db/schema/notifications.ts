import { sql } from 'drizzle-orm';
import { bigserial, bigint, boolean, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Audience, NotificationData, NotificationKind } from '../../domain/notifications';
import { users } from './users';

// A notification is written in the same transaction as the fact it announces (the outbox); the same
// transaction expands its audience into one delivery per person and channel. dedupe_key makes a retried
// activity write one row, not two.
export const notificationOutbox = pgTable('notification_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  dedupeKey: text('dedupe_key').notNull().unique(),
  kind: text('kind').notNull().$type<NotificationKind>(),
  audience: jsonb('audience').notNull().$type<Audience[]>(),
  data: jsonb('data').notNull().$type<NotificationData>(),
  resourceType: text('resource_type').notNull(),
  resourceId: text('resource_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('notification_outbox_resource_idx').on(t.resourceType, t.resourceId)]);

/**
 * One row per notification, channel and address: the in-app inbox (address = user id), an e-mail
 * (address = the mailbox) or a webhook (address = the subscription id). Its id is what makes a repeat
 * recognisable to the receiver: it is in the Message-ID and webhook-id of every attempt.
 */
export const notificationDeliveries = pgTable('notification_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  notificationId: bigint('notification_id', { mode: 'number' }).notNull().references(() => notificationOutbox.id),
  channel: text('channel', { enum: ['inbox', 'email', 'webhook'] }).notNull(),
  address: text('address').notNull(),
  userId: text('user_id').references(() => users.id),
  language: text('language'),
  status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  lastResponseCode: integer('last_response_code'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }),
  readAt: timestamp('read_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('notification_deliveries_once_idx').on(t.notificationId, t.channel, t.address),
  index('notification_deliveries_inbox_idx').on(t.userId, t.id).where(sql`${t.channel} = 'inbox'`),
  index('notification_deliveries_unread_idx').on(t.userId).where(sql`${t.channel} = 'inbox' and ${t.readAt} is null`),
  index('notification_deliveries_webhook_idx').on(t.address, t.id).where(sql`${t.channel} = 'webhook'`),
  index('notification_deliveries_failed_idx').on(t.failedAt).where(sql`${t.status} = 'failed'`),
]);

/** A channel a user turned off (or back on) for one kind; no row: on. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: text('user_id').notNull().references(() => users.id),
  kind: text('kind').notNull(),
  channel: text('channel', { enum: ['inbox', 'email'] }).notNull(),
  enabled: boolean('enabled').notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.kind, t.channel] })]);

export const webhookSeq = pgSequence('webhook_seq', { maxValue: 999_999 });

// The signing secret is kept as issued: an HMAC needs it, so it cannot be hashed like an API key. It is
// shown once on creation and never returned or logged afterwards.
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey().default(sql`'WH-' || lpad(nextval('webhook_seq')::text, 6, '0')`),
  url: text('url').notNull(),
  kinds: text('kinds').array().notNull(),
  secret: text('secret').notNull(),
  description: text('description'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});
