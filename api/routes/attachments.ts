import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { eq } from 'drizzle-orm';
import { attachmentStore, servedAs } from '../../channels/attachment-store';
import { findAttachment, recordAttachment, ticketAttachments, type AttachmentRow } from '../../db/attachments';
import { tickets } from '../../db/schema';
import { TICKET_ACTIONS } from '../../domain/tickets';
import { audit } from '../audit';
import { HttpProblem, notFound } from '../problem';
import { IdParams, Nullable, Obj } from '../schemas/common';

/** Each uploaded file's limit (SPEC §9: attachments up to 10 MiB each). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_FILES = 10;

const Attachment = Type.Object({
  id: Type.String(), ticketId: Type.String(), filename: Type.String(), contentType: Type.String(), size: Type.Integer(), sha256: Type.String(),
  inboundId: Nullable(Type.String({ description: 'the inbound message it came with' })), uploadedBy: Type.String(), createdAt: Type.String(),
  url: Type.String({ description: 'where to download it' }),
});
const view = (row: AttachmentRow) => ({
  id: String(row.id), ticketId: row.ticketId, filename: row.filename, contentType: row.contentType, size: row.size, sha256: row.sha256,
  inboundId: row.inboundId === null ? null : String(row.inboundId), uploadedBy: row.uploadedBy, createdAt: row.createdAt.toISOString(), url: `/api/v1/attachments/${row.id}`,
});

// Those who write on a ticket (its notes) may add files to it; everyone who may read it may download them.
const UPLOADERS = TICKET_ACTIONS.notes.roles;

export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: MAX_FILES, fields: 0, parts: MAX_FILES } });
  const store = attachmentStore(app.config.dataDir);
  const ticketExists = async (id: string) => (await app.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, id))).length > 0;

  app.post('/tickets/:id/attachments', {
    config: { roles: UPLOADERS },
    // multipart/form-data, one or more `file` parts; each is checked against the limit while it streams.
    bodyLimit: MAX_FILES * MAX_ATTACHMENT_BYTES,
    schema: { tags: ['tickets'], consumes: ['multipart/form-data'], params: IdParams, response: { 201: Type.Object({ items: Type.Array(Attachment) }) } },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new HttpProblem(415, 'send the files as multipart/form-data');
    if (!(await ticketExists(request.params.id))) throw notFound('ticket', request.params.id);
    // Read whole before anything is recorded: an upload refused part-way (too large) records nothing.
    const files: Array<{ filename: string; contentType: string; bytes: Buffer }> = [];
    for await (const part of request.files()) {
      const bytes = await part.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpProblem(413, `each file may have at most ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MiB`);
        throw error;
      });
      files.push({ filename: (part.filename || 'attachment').slice(0, 255), contentType: part.mimetype || 'application/octet-stream', bytes });
    }
    if (files.length === 0) throw new HttpProblem(400, 'no file in the upload');
    const added: AttachmentRow[] = [];
    for (const file of files) {
      const { sha256, size } = await store.put(file.bytes);
      added.push((await recordAttachment(app.db, { ticketId: request.params.id, filename: file.filename, contentType: file.contentType, size, sha256, uploadedBy: request.actor.id }))!);
    }
    await audit(app.db, request.actor, 'ticket.attach', 'ticket', request.params.id, { files: added.map((a) => ({ id: a.id, filename: a.filename, size: a.size })) });
    return reply.status(201).send({ items: added.map(view) });
  });

  app.get('/tickets/:id/attachments', {
    config: { roles: 'authenticated' },
    schema: { tags: ['tickets'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(Attachment) }) } },
  }, async (request) => {
    if (!(await ticketExists(request.params.id))) throw notFound('ticket', request.params.id);
    return { items: (await ticketAttachments(app.db, request.params.id)).map(view) };
  });

  app.get('/attachments/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['tickets'], description: 'The file, always as a download; types a browser would run are served as opaque bytes.', params: Obj({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }) },
  }, async (request, reply) => {
    const row = await findAttachment(app.db, Number(request.params.id));
    if (!row) throw notFound('attachment', request.params.id);
    const served = servedAs(row.contentType, row.filename);
    return reply.header('content-type', served.contentType).header('content-disposition', served.disposition).header('content-length', String(row.size))
      .send(store.open(row.sha256));
  });
};
