import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asc } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { LANGUAGES } from '../../channels/render';
import { taskQueue } from '../../config';
import { users } from '../../db/schema';
import { ticketsHeldBy } from '../../db/tickets';
import { createUser, findUser, updateUser, type UserRow } from '../../db/users';
import { RETURN_CLAIMS_WORKFLOW, returnClaimsWorkflowId, type ReturnClaimsInput, type ReturnedClaims } from '../../domain/processes/claims';
import { publicText } from '../../domain/public-text';
import type { Actor } from '../../domain/roles';
import type { Tier as TierName } from '../../domain/tickets';
import { tiersOf, withTiers } from '../../domain/users';
import { audit } from '../audit';
import { issueApiKey, keysOf, revokeAllKeys, revokeApiKey } from '../keys';
import { afterCursor, toPage } from '../pagination';
import { withinUpdateWait } from '../process';
import { HttpProblem, notFound, unprocessable } from '../problem';
import { IdParams, ListQuery, Literals, Nullable, Obj, Page, Role, Text } from '../schemas/common';
import { Tier } from '../schemas/tickets';

const User = Type.Object({
  id: Type.String(), name: Type.String(), email: Type.String(), roles: Type.Array(Role),
  tiers: Type.Array(Tier, { description: 'the ticket tiers the user works: those of the tier roles agent (L1), support_l2 (L2), support_l3 (L3)' }),
  active: Type.Boolean(), language: Nullable(Type.String()), createdAt: Type.String(),
});
const Language = Literals(LANGUAGES, 'the language of notifications; default English');
const Email = Type.String({ format: 'email', maxLength: 320 });
const Roles = Type.Array(Role, { minItems: 1, uniqueItems: true });
const IssuedKey = Type.Object({ keyId: Type.String(), apiKey: Type.String({ description: 'shown once; only its hash is stored' }) });
const UserChange = Obj({
  name: Type.Optional(Text(200)), email: Type.Optional(Email), roles: Type.Optional(Roles),
  tiers: Type.Optional(Type.Array(Tier, { uniqueItems: true, description: 'replaces the tier roles (agent, support_l2, support_l3), after `roles` if both are given' })),
  active: Type.Optional(Type.Boolean()), language: Type.Optional(Nullable(Language)),
}, { description: 'partial update' });
const ReturnedClaims = Type.Object({
  returned: Type.Array(Type.String(), { description: 'tickets back in their tier queue, each with a timeline entry' }),
  refused: Type.Array(Type.Object({ ticketId: Type.String(), reason: Type.String() }), { description: 'tickets that moved on before their turn' }),
});
const KeyInfo = Type.Object({ keyId: Type.String(), createdAt: Type.String(), revokedAt: Nullable(Type.String()) }, { description: 'a key without its secret or hash' });
const UserDetail = Type.Composite([User, Type.Object({ keys: Type.Array(KeyInfo, { description: 'every key issued to the user, newest first, revoked ones included' }) })]);
const Deactivated = Type.Composite([User, Type.Object({ keysRevoked: Type.Integer(), claims: ReturnedClaims })]);

function view(row: UserRow) {
  return {
    id: row.id, name: row.name, email: row.email, roles: row.roles, tiers: tiersOf(row.roles), active: row.active, language: row.language,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The tiers `before` worked that `after` no longer does (every tier once inactive): claims there go back to the queue. */
function lostTiers(before: UserRow, after: UserRow): TierName[] {
  const kept = after.active ? tiersOf(after.roles) : [];
  return tiersOf(before.roles).filter((tier) => !kept.includes(tier));
}

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', {
    config: { roles: 'authenticated' },
    schema: { tags: ['users'], response: { 200: Type.Object({ id: Type.String(), name: Type.String(), roles: Type.Array(Role) }) } },
  }, async (request) => request.actor);

  app.post('/users', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      body: Obj({ name: Text(200), email: Email, roles: Roles, language: Type.Optional(Language) }),
      response: { 201: Type.Composite([User, IssuedKey]) },
    },
  }, async (request, reply) => {
    const created = await app.db.transaction(async (tx) => {
      const outcome = await createUser(tx, request.body);
      if ('existingId' in outcome) throw new HttpProblem(409, `a user with email ${request.body.email} already exists`, { userId: outcome.existingId });
      const { user } = outcome;
      const key = await issueApiKey(tx, user.id);
      await audit(tx, request.actor, 'user.create', 'user', user.id, { roles: user.roles });
      return { ...view(user), ...key };
    });
    return reply.status(201).send(created);
  });

  app.get('/users', {
    config: { roles: ['admin', 'manager'] },
    schema: { tags: ['users'], querystring: ListQuery({}), response: { 200: Page(User) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await app.db.select().from(users).where(afterCursor([users.id], request.query.cursor)).orderBy(asc(users.id)).limit(limit + 1);
    return toPage(rows, limit, (row) => [row.id], view);
  });

  app.get('/users/:id', {
    config: { roles: ['admin', 'manager'] },
    schema: { tags: ['users'], params: IdParams, response: { 200: UserDetail } },
  }, async (request) => {
    const row = await findUser(app.db, request.params.id);
    if (!row) throw notFound('user', request.params.id);
    const keys = await keysOf(app.db, row.id);
    return { ...view(row), keys: keys.map((k) => ({ keyId: k.keyId, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null })) };
  });

  /**
   * Applies a change to a user in one transaction with its audit line: a user who stops being active loses
   * every key at once. Then, if the user no longer works a tier they held tickets at, a workflow returns
   * those claims to the queue (after the commit, so it reads the new roles; a repeated request starts it again).
   */
  async function changeUser(request: FastifyRequest, id: string, body: Static<typeof UserChange>, action: string) {
    const before = await findUser(app.db, id);
    if (!before) throw notFound('user', id);
    const roles = body.tiers ? withTiers(body.roles ?? before.roles, body.tiers) : body.roles;
    if (roles?.length === 0) throw unprocessable('a user needs at least one role', { errors: [{ path: '/tiers', message: 'leaves the user without a role' }] });
    if (id === request.actor.id && (body.active === false || (roles && !roles.includes('admin')))) {
      throw unprocessable('an admin cannot deactivate themselves or take away their own admin role; another admin can', { userId: id });
    }
    const { tiers: _tiers, ...fields } = body;
    const { user, keysRevoked } = await app.db.transaction(async (tx) => {
      const outcome = await updateUser(tx, id, { ...fields, roles });
      if (!outcome) throw notFound('user', id);
      if ('existingId' in outcome) throw new HttpProblem(409, `a user with email ${body.email} already exists`, { userId: outcome.existingId });
      const revoked = outcome.user.active ? 0 : await revokeAllKeys(tx, id);
      await audit(tx, request.actor, action, 'user', id, { ...body, ...(roles ? { roles } : {}), ...(revoked ? { keysRevoked: revoked } : {}) });
      return { user: outcome.user, keysRevoked: revoked };
    });
    const lost = lostTiers(before, user);
    // A workflow only when there is something to return (the workflow reads the held tickets again itself).
    const held = lost.length > 0 ? await ticketsHeldBy(app.db, id, user.active ? tiersOf(user.roles) : []) : [];
    const claims = held.length > 0 ? await returnClaims(user, request.actor, lost) : { returned: [], refused: [] };
    return { user, keysRevoked, claims };
  }

  async function returnClaims(user: UserRow, by: Actor, lost: TierName[]): Promise<ReturnedClaims> {
    const reason = user.active
      ? `${user.name} (${user.id}) no longer works ${lost.join(' and ')}; changed by ${by.name}`
      : `${user.name} (${user.id}) was deactivated by ${by.name}`;
    const input: ReturnClaimsInput = { userId: user.id, reason };
    return withinUpdateWait(app, () => app.temporal.workflow.execute<(input: ReturnClaimsInput) => Promise<ReturnedClaims>>(RETURN_CLAIMS_WORKFLOW, {
      workflowId: returnClaimsWorkflowId(user.id, randomUUID().slice(0, 8)), taskQueue: taskQueue(app.config, 'tickets'), args: [input],
      staticSummary: publicText(`Return the ticket claims of ${user.id} to their queues`),
    }));
  }

  app.patch('/users/:id', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      description: 'An inactive user can no longer sign in (every key is revoked) and receives no notifications; their history stays. '
        + 'Tickets the user holds at a tier they no longer work go back to that tier\'s queue.',
      params: IdParams, body: UserChange, response: { 200: User },
    },
  }, async (request) => view((await changeUser(request, request.params.id, request.body, 'user.update')).user));

  app.post('/users/:id/deactivate', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'], summary: 'Deactivate a user: every key revoked at once, every ticket they hold back in its tier queue (recorded in its timeline)',
      description: 'Repeating it for an inactive user returns any claim still held (e.g. after the engine was unreachable).',
      params: IdParams, body: Type.Optional(Obj({})), response: { 200: Deactivated },
    },
  }, async (request) => {
    const { user, keysRevoked, claims } = await changeUser(request, request.params.id, { active: false }, 'user.deactivate');
    return { ...view(user), keysRevoked, claims };
  });

  app.post('/users/:id/keys', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], params: IdParams, body: Type.Optional(Obj({})), response: { 201: IssuedKey } },
  }, async (request, reply) => {
    const row = await findUser(app.db, request.params.id);
    if (!row) throw notFound('user', request.params.id);
    const key = await issueApiKey(app.db, row.id);
    await audit(app.db, request.actor, 'user.key.issue', 'user', row.id, { keyId: key.keyId });
    return reply.status(201).send(key);
  });

  app.delete('/users/:id/keys/:keyId', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], params: Obj({ id: Type.String({ maxLength: 64 }), keyId: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const revoked = await revokeApiKey(app.db, request.params.id, request.params.keyId);
    if (!revoked) throw notFound('active key', `${request.params.keyId} of user ${request.params.id}`);
    await audit(app.db, request.actor, 'user.key.revoke', 'user', request.params.id, { keyId: request.params.keyId });
    return reply.status(204).send(null);
  });
};
