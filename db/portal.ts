import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Contact } from '../domain/inbound';
import type { NotificationInput } from '../domain/notifications';
import { portalPurposeOf, type PortalPurpose } from '../domain/portal';
import type { TicketEventRecord, TicketRecord } from '../domain/processes/ticket';
import type { Db, Tx } from './client';
import { customerContacts, customers, portalTokens, ticketEvents, tickets } from './schema';

// The customer's portal links. A token is derived, not drawn: base64url(HMAC-SHA256(key, the
// notification's dedupe key and the recipient's address)), 256 bits. So the repository that records the
// resolution stores the tokens' hashes in the same transaction (revoking the ones it replaces), and the
// delivery activity derives the same token when it sends the mail, on every retry alike, without the raw
// token ever being stored: not here, not in the notification, not in a Temporal payload. The dedupe key
// names the ticket, the event and the purpose (`ticket:T-2026-000123:resolved:7`), so a re-resolved
// ticket's links differ from the first ones.

/**
 * The key links are derived with: CRM_PORTAL_KEY, else one derived (HKDF) from the current payload key,
 * so `npm start` needs no setting of its own. Rotating the payload key then kills the links in mail not
 * yet answered; set CRM_PORTAL_KEY to rotate them apart.
 */
export function portalKeyOf(config: Config): Buffer {
  if (config.portal.key) return config.portal.key;
  const { payloadKeys, payloadKeyId } = config.temporal;
  const current = payloadKeys.find((k) => k.id === payloadKeyId);
  if (!current) throw new Error('portal links need CRM_PORTAL_KEY or a payload key (CRM_PAYLOAD_KEYS)');
  return Buffer.from(hkdfSync('sha256', current.key, Buffer.alloc(0), 'crmflow portal links', 32));
}

export const portalToken = (key: Buffer, dedupeKey: string, address: string): string =>
  createHmac('sha256', key).update(`${dedupeKey}\n${address.toLowerCase()}`).digest('base64url');

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

/** A token as a URL carries it: 43 base64url characters; anything else cannot be one of ours. */
export const looksLikeToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/**
 * In the transaction that records a ticket event: a change of the ticket's state ends every earlier link
 * (it answered what the ticket no longer asks), and with a key (e-mail is on) a notification that asks the
 * customer something gets one link per contact address it is mailed to, expiring with the confirmation window.
 */
export async function issuePortalTokens(tx: Tx, key: Buffer | null, t: TicketRecord, e: TicketEventRecord, notifications: readonly NotificationInput[]): Promise<void> {
  const at = new Date(e.at);
  if (e.fromStatus !== e.toStatus) {
    await tx.update(portalTokens).set({ revokedAt: at })
      .where(and(eq(portalTokens.ticketId, t.id), lt(portalTokens.eventSeq, e.seq), isNull(portalTokens.usedAt), isNull(portalTokens.revokedAt)));
  }
  if (!key || t.confirmationWindowMs === undefined) return;
  const expiresAt = new Date(e.at + t.confirmationWindowMs);
  for (const notification of notifications) {
    const purpose = portalPurposeOf(notification.kind);
    if (!purpose) continue;
    const rows = (await contactAddresses(tx, t.customerId)).map((contact) => ({
      tokenHash: hashOf(portalToken(key, notification.dedupeKey, contact.email)), ticketId: t.id, eventSeq: e.seq, contactId: contact.id, purpose, expiresAt,
    }));
    if (rows.length > 0) await tx.insert(portalTokens).values(rows).onConflictDoNothing();
  }
}

/** Each distinct contact address of the customer (as notifications mail them) with the first contact that has it. */
async function contactAddresses(tx: Tx, customerId: string) {
  const rows = await tx.selectDistinctOn([customerContacts.email], { id: customerContacts.id, email: customerContacts.email })
    .from(customerContacts).where(and(eq(customerContacts.customerId, customerId), sql`${customerContacts.email} is not null`))
    .orderBy(customerContacts.email, asc(customerContacts.id));
  return rows.map((row) => ({ id: row.id, email: row.email! }));
}

export type PortalLink =
  | { state: 'unknown' }
  | { state: 'expired' | 'used' | 'revoked'; language: string | null }
  | {
    state: 'valid'; id: number; purpose: PortalPurpose; contact: Contact; language: string | null;
    ticket: { id: string; workflowId: string; subject: string }; asked: string;
  };

/**
 * What a token from a URL opens: nothing (unknown or altered), a dead link and why, or the ticket with what
 * its event asked (the resolution or the question, as the event recorded it).
 */
export async function findPortalLink(db: Db, token: string, now: Date): Promise<PortalLink> {
  if (!looksLikeToken(token)) return { state: 'unknown' };
  const [row] = await db.select({
    id: portalTokens.id, purpose: portalTokens.purpose, eventSeq: portalTokens.eventSeq, expiresAt: portalTokens.expiresAt, usedAt: portalTokens.usedAt,
    revokedAt: portalTokens.revokedAt, ticketId: tickets.id, workflowId: tickets.workflowId, subject: tickets.subject, customerId: tickets.customerId,
    contactId: customerContacts.id, contactName: customerContacts.name, contactEmail: customerContacts.email, asked: ticketEvents.note, language: customers.language,
  }).from(portalTokens).innerJoin(tickets, eq(tickets.id, portalTokens.ticketId)).innerJoin(customers, eq(customers.id, tickets.customerId))
    .innerJoin(ticketEvents, and(eq(ticketEvents.ticketId, portalTokens.ticketId), eq(ticketEvents.seq, portalTokens.eventSeq)))
    .leftJoin(customerContacts, and(eq(customerContacts.id, portalTokens.contactId), eq(customerContacts.customerId, tickets.customerId)))
    .where(eq(portalTokens.tokenHash, hashOf(token)));
  if (!row) return { state: 'unknown' };
  const { language } = row;
  // Used before revoked: the answer itself moves the ticket on, which revokes the link too. Expired before
  // revoked: when the window passes, the clock closes the ticket, and "expired" is what the customer needs.
  if (row.usedAt) return { state: 'used', language };
  if (row.expiresAt <= now) return { state: 'expired', language };
  if (row.revokedAt || row.contactId === null) return { state: 'revoked', language };
  return {
    state: 'valid', id: row.id, purpose: row.purpose, language,
    contact: { id: row.contactId, customerId: row.customerId, name: row.contactName!, email: row.contactEmail! },
    ticket: { id: row.ticketId, workflowId: row.workflowId, subject: row.subject }, asked: row.asked ?? '',
  };
}

/** The customer answered through the link: it opens nothing any more. */
export async function markPortalLinkUsed(db: Db, id: number, at: Date): Promise<void> {
  await db.update(portalTokens).set({ usedAt: at }).where(and(eq(portalTokens.id, id), isNull(portalTokens.usedAt)));
}
