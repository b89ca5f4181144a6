import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditEntries, type AuditRow } from '../../db/audit';
import { actorNamer } from '../actors';
import { beforeCursor, toPage } from '../pagination';
import { ListQuery, Page } from '../schemas/common';

const AuditEntry = Type.Object({
  id: Type.Integer(), actorId: Type.String(), actorName: Type.String({ description: "the user's name (the id, for a user since removed)" }), action: Type.String({ examples: ['user.deactivate'] }), resourceType: Type.String(), resourceId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Unknown({ description: 'what the action carried (the changed fields, a reason)' }), at: Type.String(),
});

// `user:U-000042` names one resource, `user` all of a type; resource ids never contain a colon.
const RESOURCE = '^[a-z_]+(:[^:]+)?$';

function entry(row: AuditRow, actorName: string) {
  return { id: row.id, actorId: row.actorId, actorName, action: row.action, resourceType: row.resourceType, resourceId: row.resourceId, detail: row.detail, at: row.at.toISOString() };
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    config: { roles: ['admin', 'manager'] },
    schema: {
      tags: ['users'], summary: 'The audit log, newest first: every change by a person (users, keys, master data, settings, process starts)',
      querystring: ListQuery({
        actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the acting user id' })),
        resource: Type.Optional(Type.String({ maxLength: 130, pattern: RESOURCE, description: 'a resource type (`user`) or one resource (`user:U-000042`)' })),
        action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'e.g. `user.update`' })),
      }),
      response: { 200: Page(AuditEntry) },
    },
  }, async (request) => {
    const { limit = 50, cursor, actor, resource, action } = request.query;
    const [resourceType, resourceId] = resource ? resource.split(':') : [];
    const rows = await auditEntries(app.db, { actorId: actor, resourceType, resourceId, action, before: beforeCursor(cursor), limit: limit + 1 });
    const nameOf = await actorNamer(app.db, rows.map((row) => row.actorId), []);
    return toPage(rows, limit, (row) => [row.id], (row) => entry(row, nameOf(row.actorId)));
  });
};
