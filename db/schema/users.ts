import { sql } from 'drizzle-orm';
import type { Role } from '../../domain/roles';
import { boolean, index, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// lpad would cut longer numbers short; the sequence stops at the width instead of repeating ids.
export const userSeq = pgSequence('user_seq', { maxValue: 999_999 });

export const users = pgTable('users', {
  id: text('id').primaryKey().default(sql`'U-' || lpad(nextval('user_seq')::text, 6, '0')`),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  roles: text('roles').array().notNull().$type<Role[]>(),
  /** An inactive user keeps their history but signs in no more and receives no notifications. */
  active: boolean('active').notNull().default(true),
  /** Notification language (a template directory under channels/templates); null: English. */
  language: text('language'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// Keys are shown once; only a SHA-256 of the secret part is kept (the secret is 32 random bytes,
// so a slow hash buys nothing). The key id in the token lets us find the row without the secret.
export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  secretHash: text('secret_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [index('api_keys_user_idx').on(t.userId)]);
