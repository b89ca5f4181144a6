import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findInbound, listInbound, settleInbound, type InboundRow } from '../../db/inbound';
import { allocateProcessNumber } from '../../db/numbers';
import { Refusal } from '../../db/refusal';
import type { InboundStatus } from '../../db/schema';
import { loadTicketPolicy } from '../../db/tickets';
import { TICKET_WORKFLOW, ticketOpened, ticketStart, type TicketInput } from '../../domain/processes/ticket';
import { audit } from '../audit';
import { beforeCursor, toPage } from '../pagination';
import { conflict, notFound, unprocessable } from '../problem';
import { startProcess } from '../process';
import { ListQuery, Literals, Nullable, Obj, Page, Text } from '../schemas/common';
import { Category, Priority, TicketView } from '../schemas/tickets';

const STATUSES: InboundStatus[] = ['received', 'processed', 'quarantined', 'discarded'];
const Inbound = Type.Object({
  id: Type.String(), messageId: Type.String(), from: Type.String(), fromName: Nullable(Type.String()), to: Type.Array(Type.String()), subject: Type.String(),
  text: Type.String({ description: 'the new words of the message, quoted history cut off' }), size: Type.Integer(), status: Literals(STATUSES),
  reason: Nullable(Type.String({ description: 'why it waits in quarantine' })), customerId: Nullable(Type.String()), ticketId: Nullable(Type.String()),
  receivedAt: Type.String(), processedAt: Nullable(Type.String()), processedBy: Nullable(Type.String()),
});
const InboundParams = Obj({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) });

const view = (row: InboundRow) => ({
  id: String(row.id), messageId: row.messageId, from: row.fromAddress, fromName: row.fromName, to: row.toAddresses, subject: row.subject, text: row.text,
  size: row.size, status: row.status, reason: row.reason, customerId: row.customerId, ticketId: row.ticketId, receivedAt: row.receivedAt.toISOString(),
  processedAt: row.processedAt?.toISOString() ?? null, processedBy: row.processedBy,
});

// The quarantine: mail the channel could not place (an unknown sender, a closed ticket, a mail loop)
// waits here for an agent, who attaches it to a customer as a new ticket or discards it. Never dropped.
export const inboundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const quarantined = async (id: string) => {
    const row = await findInbound(app.db, Number(id));
    if (!row) throw notFound('inbound message', id);
    if (row.status !== 'quarantined') throw conflict(`inbound message ${id} is ${row.status}, not quarantined`, { inboundStatus: row.status });
    return row;
  };

  app.get('/inbound', {
    config: { roles: ['agent', 'supervisor'] },
    schema: { tags: ['inbound'], description: 'Inbound mail, newest first.', querystring: ListQuery({ status: Type.Optional(Literals(STATUSES)) }), response: { 200: Page(Inbound) } },
  }, async (request) => {
    const { limit = 50, cursor, status } = request.query;
    const rows = await listInbound(app.db, { status: status ?? null, before: beforeCursor(cursor), limit: limit + 1 });
    return toPage(rows, limit, (row) => [row.id], view);
  });

  app.get('/inbound/:id', {
    config: { roles: ['agent', 'supervisor'] },
    schema: { tags: ['inbound'], params: InboundParams, response: { 200: Inbound } },
  }, async (request) => {
    const row = await findInbound(app.db, Number(request.params.id));
    if (!row) throw notFound('inbound message', request.params.id);
    return view(row);
  });

  app.post('/inbound/:id/ticket', {
    config: { roles: ['agent', 'supervisor'] },
    schema: {
      tags: ['inbound'], description: 'Opens a ticket (channel e-mail) from a quarantined message for the customer the agent names.',
      params: InboundParams, body: Obj({ customerId: Type.String({ maxLength: 64 }), category: Type.Optional(Category), priority: Type.Optional(Priority), subject: Type.Optional(Text(200)) }),
      response: { 201: Type.Object({ inbound: Inbound, ticket: TicketView }) },
    },
  }, async (request, reply) => {
    const row = await quarantined(request.params.id);
    const fields = { customerId: request.body.customerId, channel: 'email', category: request.body.category ?? 'other', priority: request.body.priority ?? 'normal' } as const;
    const policy = await loadTicketPolicy(app.db, fields).catch((error: unknown) => {
      if (error instanceof Refusal) throw unprocessable(`customer ${fields.customerId} does not exist`, { errors: [{ path: '/customerId', message: 'unknown customer' }] });
      throw error;
    });
    // Claimed first, so two agents attaching the same message open one ticket; given back if the ticket cannot open.
    const claimed = await settleInbound(app.db, row.id, { status: 'processed', customerId: fields.customerId, by: request.actor.id }, ['quarantined']);
    if (!claimed) throw conflict(`inbound message ${row.id} was settled meanwhile`);
    try {
      const number = await allocateProcessNumber(app.db, 'ticket', app.config.idPrefixes.ticket, new Date().getUTCFullYear());
      const ticket = await startProcess(app, {
        kind: 'ticket', workflow: TICKET_WORKFLOW, opened: ticketOpened, ...ticketStart(fields, policy),
        input: (n): TicketInput => ({
          number: n, ...fields, subject: request.body.subject ?? (row.subject || '(no subject)').slice(0, 200), description: (row.text || '(empty message)').slice(0, 5000),
          actor: request.actor, policy,
        }),
      }, number);
      const settled = await settleInbound(app.db, row.id, { status: 'processed', customerId: fields.customerId, ticketId: number, by: request.actor.id }, ['processed']);
      await audit(app.db, request.actor, 'inbound.ticket', 'inbound', String(row.id), { ticketId: number, customerId: fields.customerId });
      return reply.status(201).send({ inbound: view(settled!), ticket });
    } catch (error) {
      await settleInbound(app.db, row.id, { status: 'quarantined', reason: row.reason, customerId: null, by: request.actor.id }, ['processed']);
      throw error;
    }
  });

  app.post('/inbound/:id/discard', {
    config: { roles: ['agent', 'supervisor'] },
    schema: { tags: ['inbound'], params: InboundParams, body: Obj({ reason: Text(500) }), response: { 200: Inbound } },
  }, async (request) => {
    const row = await quarantined(request.params.id);
    const settled = await settleInbound(app.db, row.id, { status: 'discarded', reason: request.body.reason, by: request.actor.id }, ['quarantined']);
    if (!settled) throw conflict(`inbound message ${row.id} was settled meanwhile`);
    await audit(app.db, request.actor, 'inbound.discard', 'inbound', String(row.id), { reason: request.body.reason });
    return view(settled);
  });
};
