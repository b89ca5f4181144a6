import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

// Who did what, for every state-changing request.
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  actorId: text('actor_id').notNull(),
  action: text('action').notNull(),
  resourceType: text('resource_type').notNull(),
  resourceId: text('resource_id'),
  detail: jsonb('detail'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('audit_log_resource_idx').on(t.resourceType, t.resourceId), index('audit_log_actor_idx').on(t.actorId)]);

// A repeated Idempotency-Key maps to the first response and the same resource (and so workflow) id.
export const idempotencyKeys = pgTable('idempotency_keys', {
  userId: text('user_id').notNull(),
  key: text('key').notNull(),
  scope: text('scope').notNull(),
  requestHash: text('request_hash').notNull(),
  resourceId: text('resource_id'),
  statusCode: integer('status_code'),
  response: jsonb('response'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.userId, t.key] })]);
