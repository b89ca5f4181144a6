import { bigserial, customType, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { PortalPurpose } from '../../domain/portal';
import { tickets } from './tickets';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

// The customer's portal links (SPEC §9): one per ticket event that asks the customer something and per
// contact address it was mailed to. Only the SHA-256 of the token is kept, so this table (or a backup of
// it) opens no ticket. A link is good until it expires, is used, or is revoked: the ticket moved on from
// the state its event put it in (answered, reopened, resolved again), so only the newest question or
// resolution can be answered.
export const portalTokens = pgTable('portal_tokens', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tokenHash: bytea('token_hash').notNull().unique(),
  ticketId: text('ticket_id').notNull().references(() => tickets.id),
  /** The ticket event that issued it (a resolve or a request-info). */
  eventSeq: integer('event_seq').notNull(),
  /**
   * The contact it was mailed to, who acts through it. No foreign key: editing a customer's contacts
   * replaces their rows, and a link whose contact was removed is dead, not an error.
   */
  contactId: integer('contact_id').notNull(),
  purpose: text('purpose').notNull().$type<PortalPurpose>(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('portal_tokens_ticket_idx').on(t.ticketId, t.eventSeq)]);
