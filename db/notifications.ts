import { and, arrayOverlaps, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import {
  audienceTarget, isMandatory, KINDS, PERSON_CHANNELS, preferenceKey, wants,
  type NotificationInput, type NotificationKind, type PersonChannel,
} from '../domain/notifications';
import type { Role } from '../domain/roles';
import { TIER_ROLE } from '../domain/tickets';
import type { Db, Tx } from './client';
import { customerContacts, customers, notificationDeliveries, notificationOutbox, notificationPreferences, users, webhookSubscriptions } from './schema';

export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type NotificationRow = typeof notificationOutbox.$inferSelect;

export interface DeliveryChannels {
  /** Whether e-mail is configured: without it no e-mail delivery is planned (the inbox and webhooks still are). */
  email: boolean;
}

/**
 * Writes each notification once per dedupe key and, in the same transaction, one delivery per person and
 * channel (and per matching webhook). Answers the ids of the notifications that still have a delivery to
 * send, including ones written by an earlier attempt of the same activity, so the caller can (re)start
 * their delivery: nothing written is left without a sender after a crash between commit and hand-over.
 */
export async function writeNotifications(db: Db | Tx, inputs: readonly NotificationInput[], channels: DeliveryChannels): Promise<number[]> {
  if (inputs.length === 0) return [];
  const write = async (tx: Tx) => {
    const waiting: number[] = [];
    for (const input of inputs) {
      const [fresh] = await tx.insert(notificationOutbox).values({
        dedupeKey: input.dedupeKey, kind: input.kind, audience: input.audience, data: input.data, resourceType: input.resource.type, resourceId: input.resource.id,
      }).onConflictDoNothing({ target: notificationOutbox.dedupeKey }).returning({ id: notificationOutbox.id });
      const id = fresh?.id ?? (await tx.select({ id: notificationOutbox.id }).from(notificationOutbox).where(eq(notificationOutbox.dedupeKey, input.dedupeKey)))[0]!.id;
      if (fresh ? await planDeliveries(tx, id, input, channels) : await hasPending(tx, id)) waiting.push(id);
    }
    return waiting;
  };
  return db.transaction(write);
}

/** Plans one delivery per person and channel, and per matching webhook; answers whether any is left to send. */
async function planDeliveries(tx: Tx, notificationId: number, input: NotificationInput, channels: DeliveryChannels): Promise<boolean> {
  const rows: Array<typeof notificationDeliveries.$inferInsert> = [];
  const now = new Date();
  for (const person of await peopleFor(tx, input)) {
    const turnedOff = new Set(person.turnedOff);
    if (wants(input.kind, 'inbox', person.roles, turnedOff)) {
      rows.push({ notificationId, channel: 'inbox', address: person.id, userId: person.id, language: person.language, status: 'sent', sentAt: now });
    }
    if (channels.email && wants(input.kind, 'email', person.roles, turnedOff)) {
      rows.push({ notificationId, channel: 'email', address: person.email, userId: person.id, language: person.language, status: 'pending' });
    }
  }
  if (channels.email) {
    for (const contact of await contactsFor(tx, input)) rows.push({ notificationId, channel: 'email', address: contact.email, language: contact.language, status: 'pending' });
  }
  const hooks = await tx.select({ id: webhookSubscriptions.id }).from(webhookSubscriptions)
    .where(and(isNull(webhookSubscriptions.deletedAt), or(sql`${input.kind} = any(${webhookSubscriptions.kinds})`, sql`'*' = any(${webhookSubscriptions.kinds})`)));
  for (const hook of hooks) rows.push({ notificationId, channel: 'webhook', address: hook.id, status: 'pending' });
  if (rows.length > 0) await tx.insert(notificationDeliveries).values(rows).onConflictDoNothing();
  return rows.some((row) => row.status === 'pending');
}

interface Person { id: string; email: string; roles: Role[]; language: string | null; turnedOff: string[] }

/** The active users a notification's audience names: holders of a role, workers of a tier, named users. */
async function peopleFor(tx: Tx, input: NotificationInput): Promise<Person[]> {
  const targets = input.audience.map(audienceTarget);
  const roles = targets.flatMap((t) => ('role' in t ? [t.role] : 'tier' in t ? [TIER_ROLE[t.tier]] : []));
  const ids = targets.flatMap((t) => ('user' in t ? [t.user] : []));
  if (roles.length === 0 && ids.length === 0) return [];
  const who = [roles.length > 0 ? arrayOverlaps(users.roles, roles) : undefined, ids.length > 0 ? inArray(users.id, ids) : undefined].filter((c) => c !== undefined);
  return tx.select({
    id: users.id, email: users.email, roles: users.roles, language: users.language,
    turnedOff: sql<string[]>`coalesce((select array_agg(p.kind || '/' || p.channel) from ${notificationPreferences} p
      where p.user_id = ${users.id} and p.kind = ${input.kind} and not p.enabled), '{}')`,
  }).from(users).where(and(eq(users.active, true), or(...who))).orderBy(users.id);
}

/** The distinct e-mail addresses of the named customers' contacts, in each customer's language. */
async function contactsFor(tx: Tx, input: NotificationInput): Promise<Array<{ email: string; language: string | null }>> {
  const ids = input.audience.map(audienceTarget).flatMap((t) => ('customer' in t ? [t.customer] : []));
  if (ids.length === 0) return [];
  const rows = await tx.selectDistinctOn([customerContacts.email], { email: customerContacts.email, language: customers.language })
    .from(customerContacts).innerJoin(customers, eq(customers.id, customerContacts.customerId))
    .where(and(inArray(customerContacts.customerId, ids), sql`${customerContacts.email} is not null`))
    .orderBy(customerContacts.email);
  return rows.map((row) => ({ email: row.email!, language: row.language }));
}

async function hasPending(tx: Tx, notificationId: number): Promise<boolean> {
  const [row] = await tx.select({ id: notificationDeliveries.id }).from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.notificationId, notificationId), eq(notificationDeliveries.status, 'pending'))).limit(1);
  return row !== undefined;
}

export async function pendingDeliveries(db: Db, notificationId: number): Promise<Array<{ id: number; channel: DeliveryRow['channel'] }>> {
  return db.select({ id: notificationDeliveries.id, channel: notificationDeliveries.channel }).from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.notificationId, notificationId), eq(notificationDeliveries.status, 'pending'))).orderBy(notificationDeliveries.id);
}

export async function loadDelivery(db: Db, id: number): Promise<{ delivery: DeliveryRow; notification: NotificationRow } | null> {
  const [row] = await db.select({ delivery: notificationDeliveries, notification: notificationOutbox }).from(notificationDeliveries)
    .innerJoin(notificationOutbox, eq(notificationOutbox.id, notificationDeliveries.notificationId)).where(eq(notificationDeliveries.id, id));
  return row ?? null;
}

/** The outcome of one attempt. Only a pending delivery changes, so a late duplicate attempt cannot undo a result. */
export async function recordAttempt(
  db: Db, id: number, outcome: { status: 'sent' | 'failed' | 'pending'; error?: string | null; responseCode?: number | null },
): Promise<void> {
  const now = new Date();
  await db.update(notificationDeliveries).set({
    status: outcome.status,
    attempts: sql`${notificationDeliveries.attempts} + 1`,
    lastError: outcome.error ?? null,
    lastResponseCode: outcome.responseCode ?? null,
    ...(outcome.status === 'sent' ? { sentAt: now } : outcome.status === 'failed' ? { failedAt: now } : {}),
  }).where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, 'pending')));
}

/** Gives up on a delivery whose retries ran out (no attempt is counted: the last one already was). */
export async function giveUp(db: Db, id: number, reason: string): Promise<void> {
  await db.update(notificationDeliveries).set({ status: 'failed', failedAt: new Date(), lastError: reason })
    .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, 'pending')));
}

// ---- the in-app inbox -----------------------------------------------------------------------------

export interface InboxItem { delivery: DeliveryRow; notification: NotificationRow }

export async function inbox(db: Db, userId: string, options: { unread: boolean; before: number | null; limit: number }): Promise<InboxItem[]> {
  return db.select({ delivery: notificationDeliveries, notification: notificationOutbox }).from(notificationDeliveries)
    .innerJoin(notificationOutbox, eq(notificationOutbox.id, notificationDeliveries.notificationId))
    .where(and(
      eq(notificationDeliveries.userId, userId), eq(notificationDeliveries.channel, 'inbox'),
      options.unread ? isNull(notificationDeliveries.readAt) : undefined,
      options.before !== null ? lt(notificationDeliveries.id, options.before) : undefined,
    ))
    .orderBy(desc(notificationDeliveries.id)).limit(options.limit);
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.userId, userId), eq(notificationDeliveries.channel, 'inbox'), isNull(notificationDeliveries.readAt)));
  return row!.n;
}

/** Marks one of the user's inbox items read (the first read time stays); null when it is not theirs. */
export async function markRead(db: Db, userId: string, id: number): Promise<InboxItem | null> {
  await db.update(notificationDeliveries).set({ readAt: new Date() }).where(and(
    eq(notificationDeliveries.id, id), eq(notificationDeliveries.userId, userId), eq(notificationDeliveries.channel, 'inbox'), isNull(notificationDeliveries.readAt),
  ));
  const [row] = await db.select({ delivery: notificationDeliveries, notification: notificationOutbox }).from(notificationDeliveries)
    .innerJoin(notificationOutbox, eq(notificationOutbox.id, notificationDeliveries.notificationId))
    .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.userId, userId), eq(notificationDeliveries.channel, 'inbox')));
  return row ?? null;
}

/** Deliveries that stopped for good, newest first. */
export async function failures(db: Db, options: { before: number | null; limit: number }): Promise<InboxItem[]> {
  return db.select({ delivery: notificationDeliveries, notification: notificationOutbox }).from(notificationDeliveries)
    .innerJoin(notificationOutbox, eq(notificationOutbox.id, notificationDeliveries.notificationId))
    .where(and(eq(notificationDeliveries.status, 'failed'), options.before !== null ? lt(notificationDeliveries.id, options.before) : undefined))
    .orderBy(desc(notificationDeliveries.id)).limit(options.limit);
}

// ---- preferences ----------------------------------------------------------------------------------

export interface Preference { kind: NotificationKind; inbox: boolean; email: boolean; mandatory: boolean }

export async function preferencesOf(db: Db, user: { id: string; roles: Role[] }): Promise<Preference[]> {
  const rows = await db.select().from(notificationPreferences).where(and(eq(notificationPreferences.userId, user.id), eq(notificationPreferences.enabled, false)));
  const turnedOff = new Set(rows.map((row) => preferenceKey(row.kind, row.channel)));
  return KINDS.filter((kind) => kind !== 'notice').map((kind) => ({
    kind, inbox: wants(kind, 'inbox', user.roles, turnedOff), email: wants(kind, 'email', user.roles, turnedOff), mandatory: isMandatory(kind, user.roles),
  }));
}

export async function setPreferences(tx: Tx, userId: string, changes: ReadonlyArray<{ kind: NotificationKind } & Partial<Record<PersonChannel, boolean>>>): Promise<void> {
  // A kind named twice takes its last word: one statement may not update a row twice.
  const byKey = new Map(changes.flatMap((change) => PERSON_CHANNELS.flatMap((channel) => {
    const enabled = change[channel];
    return enabled === undefined ? [] : [[preferenceKey(change.kind, channel), { userId, kind: change.kind, channel, enabled }] as const];
  })));
  const rows = [...byKey.values()];
  if (rows.length === 0) return;
  await tx.insert(notificationPreferences).values(rows).onConflictDoUpdate({
    target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel],
    set: { enabled: sql`excluded.enabled` },
  });
}
