import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { attachmentStore } from '../channels/attachment-store';
import { attachmentsOf } from '../channels/inbound-smtp';
import { taskQueue } from '../config';
import { recordAttachment } from '../db/attachments';
import { findEntitlement } from '../db/entitlement';
import {
  contactsByEmail, findInbound, settleInbound, ticketFacts, ticketNumberFor, ticketsOfDeliveries, waitingInbound,
} from '../db/inbound';
import { loadTicketPolicy } from '../db/tickets';
import { automaticReason, contactActor, deliveryIdsIn, INBOUND_MAIL_WORKFLOW, inboundWorkflowId, ticketNumberIn, type Contact, type InboundRoute } from '../domain/inbound';
import { workflowIdFor } from '../domain/ids';
import { publicText } from '../domain/public-text';
import { TICKET_WORKFLOW, ticketStart, ticketUpdates, type TicketInput } from '../domain/processes/ticket';
import { FINAL_TICKET_STATES, type TicketState } from '../domain/tickets';
import { temporalOf, type ActivityDeps } from './deps';
import { updateTicket } from './ticket-updates';

/** Starts the inbound workflow of each stored message; the workflow id makes a second start a no-op. */
export async function handOverInbound(deps: Pick<ActivityDeps, 'config' | 'temporal'>, ids: readonly number[]): Promise<void> {
  const { config } = deps;
  const temporal = temporalOf(deps, 'handing inbound mail to its workflow');
  await Promise.all(ids.map(async (id) => {
    try {
      await temporal.workflow.start(INBOUND_MAIL_WORKFLOW, { workflowId: inboundWorkflowId(id), taskQueue: taskQueue(config, 'notifications'), args: [id] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }));
}

export function createInboundActivities(deps: ActivityDeps) {
  const { db, config } = deps;
  const client = () => temporalOf(deps, 'the e-mail channel');

  return {
    /**
     * Where a stored message goes: a reply to a ticket of the sender's customer, a new ticket from a known
     * contact, or quarantine with the reason. `settled` when it was decided before (a retried workflow).
     */
    async routeInbound(id: number): Promise<InboundRoute | { kind: 'settled' }> {
      const mail = await findInbound(db, id);
      if (!mail || mail.status !== 'received') return { kind: 'settled' };
      const ourAddress = /<([^>]+)>/.exec(config.notifications.mailFrom)?.[1] ?? config.notifications.mailFrom;
      const automatic = automaticReason(mail.headers, mail.fromAddress, ourAddress);
      if (automatic) return { kind: 'quarantine', reason: automatic };
      const contacts = await contactsByEmail(db, mail.fromAddress);
      const referred = [...await ticketsOfDeliveries(db, deliveryIdsIn(mail.refersTo)), ticketNumberIn(mail.subject, config.idPrefixes.ticket)].filter((t) => t !== null);
      const ticketId = referred[0];
      if (ticketId) {
        const ticket = await ticketFacts(db, ticketId);
        if (!ticket) return { kind: 'quarantine', reason: `ticket ${ticketId} does not exist` };
        const contact = contacts.find((c) => c.customerId === ticket.customerId);
        if (!contact) return { kind: 'quarantine', reason: `${mail.fromAddress} is not a contact of ${ticket.customerId}, whose ticket ${ticketId} it answers` };
        if (FINAL_TICKET_STATES.includes(ticket.status as TicketState)) return { kind: 'quarantine', reason: `ticket ${ticketId} is ${ticket.status}` };
        return { kind: 'reply', ticketId, contact };
      }
      const customers = new Set(contacts.map((c) => c.customerId));
      if (customers.size === 0) return { kind: 'quarantine', reason: `${mail.fromAddress || 'the sender'} is no customer's contact` };
      if (customers.size > 1) return { kind: 'quarantine', reason: `${mail.fromAddress} is a contact of ${[...customers].join(', ')}: which customer is unclear` };
      return { kind: 'new', contact: contacts[0]! };
    },

    /**
     * The message's words go to the ticket through the same Updates as the API, as the contact: an
     * answer to a pending question resumes the paused clock (`customer-reply`); otherwise a note. The
     * update id is the message's, so a retry after the update landed is answered by the first result.
     * A refusal (the ticket closed meanwhile) is answered with its reason, for the quarantine.
     */
    async replyByEmail(input: { inboundId: number; ticketId: string; contact: Contact }): Promise<{ refused: string | null }> {
      const mail = (await findInbound(db, input.inboundId))!;
      const actor = contactActor(input.contact);
      const updateId = `inbound-${input.inboundId}`;
      return updateTicket(client(), input.ticketId, async (handle) => {
        const { status } = (await ticketFacts(db, input.ticketId))!;
        if (status === 'pending_customer') await handle.executeUpdate(ticketUpdates['customer-reply'], { args: [{ actor, text: mail.text || mail.subject }], updateId });
        else await handle.executeUpdate(ticketUpdates.notes, { args: [{ actor, text: `E-mail from ${mail.fromAddress}: ${mail.text || mail.subject}`, internal: false }], updateId });
      });
    },

    /** Opens a ticket for a known contact's new message (channel e-mail), once per message. */
    async openTicketByEmail(input: { inboundId: number; contact: Contact }): Promise<string> {
      const mail = (await findInbound(db, input.inboundId))!;
      const number = await ticketNumberFor(db, input.inboundId, config.idPrefixes.ticket, mail.receivedAt.getUTCFullYear());
      const fields = { customerId: input.contact.customerId, channel: 'email', category: 'other', priority: 'normal' } as const;
      const policy = await loadTicketPolicy(db, fields);
      // The verdict as of the mail's arrival, as the API takes it at the call: the same on every retry while contracts stand still.
      const entitlement = await findEntitlement(db, { ...fields, at: mail.receivedAt.getTime() });
      const start = ticketStart(fields, policy);
      const ticket: TicketInput = {
        number, ...fields, subject: (mail.subject || '(no subject)').slice(0, 200), description: (mail.text || '(empty message)').slice(0, 5000),
        actor: contactActor(input.contact), policy, entitlement,
      };
      try {
        await client().workflow.start(TICKET_WORKFLOW, {
          workflowId: workflowIdFor('ticket', number), taskQueue: taskQueue(config, 'tickets'), args: [ticket],
          staticSummary: publicText(start.summary(number)), staticDetails: publicText(start.details), typedSearchAttributes: start.searchAttributes,
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return number;
    },

    /** The message's files go to the ticket, once each (the message id and part number key them). */
    async attachInboundFiles(input: { inboundId: number; ticketId: string; contact: Contact }): Promise<number> {
      const mail = (await findInbound(db, input.inboundId))!;
      const files = await attachmentsOf(mail.raw);
      const store = attachmentStore(config.dataDir);
      for (const [part, file] of files.entries()) {
        const { sha256, size } = await store.put(file.content);
        await recordAttachment(db, {
          ticketId: input.ticketId, filename: file.filename, contentType: file.contentType, size, sha256, inboundId: input.inboundId, part, uploadedBy: contactActor(input.contact).id,
        });
      }
      return files.length;
    },

    async settleInbound(input: { id: number; status: 'processed' | 'quarantined'; reason?: string | null; customerId?: string | null; ticketId?: string | null }): Promise<void> {
      await settleInbound(db, input.id, { ...input, by: 'e-mail channel' });
    },

    /** The sweep's catch-up: messages stored while Temporal could not be reached get their workflow now. */
    async handOverWaitingInbound(): Promise<number> {
      const ids = await waitingInbound(db, new Date(Date.now() - 5_000), 500);
      await handOverInbound(deps, ids);
      return ids.length;
    },
  };
}
