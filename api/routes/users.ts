import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asc } from 'drizzle-orm';
import { users } from '../../db/schema';
import { LANGUAGES } from '../../channels/render';
import { createUser, findUser, updateUser } from '../../db/users';
import { audit } from '../audit';
import { issueApiKey, revokeApiKey } from '../keys';
import { afterCursor, toPage } from '../pagination';
import { HttpProblem, notFound } from '../problem';
import { IdParams, ListQuery, Literals, Nullable, Obj, Page, Role, Text } from '../schemas/common';

const User = Type.Object({
  id: Type.String(), name: Type.String(), email: Type.String(), roles: Type.Array(Role), active: Type.Boolean(), language: Nullable(Type.String()), createdAt: Type.String(),
});
const Language = Literals(LANGUAGES, 'the language of notifications; default English');
const IssuedKey = Type.Object({ keyId: Type.String(), apiKey: Type.String({ description: 'shown once; only its hash is stored' }) });

function view(row: typeof users.$inferSelect) {
  return { id: row.id, name: row.name, email: row.email, roles: row.roles, active: row.active, language: row.language, createdAt: row.createdAt.toISOString() };
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
      body: Obj({ name: Text(200), email: Type.String({ format: 'email', maxLength: 320 }), roles: Type.Array(Role, { minItems: 1, uniqueItems: true }), language: Type.Optional(Language) }),
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
    schema: { tags: ['users'], params: IdParams, response: { 200: User } },
  }, async (request) => {
    const row = await findUser(app.db, request.params.id);
    if (!row) throw notFound('user', request.params.id);
    return view(row);
  });

  app.patch('/users/:id', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'], description: 'An inactive user can no longer sign in and receives no notifications; their history stays.',
      params: IdParams, body: Obj({ active: Type.Optional(Type.Boolean()), language: Type.Optional(Nullable(Language)) }, { description: 'partial update' }), response: { 200: User },
    },
  }, async (request) => {
    const row = await app.db.transaction(async (tx) => {
      const updated = await updateUser(tx, request.params.id, request.body);
      if (updated) await audit(tx, request.actor, 'user.update', 'user', updated.id, request.body);
      return updated;
    });
    if (!row) throw notFound('user', request.params.id);
    return view(row);
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
