import type { Actor } from './roles';

// SPEC §9, e-mail in: how a stored message finds its ticket, or opens one, or waits in quarantine.

/** A customer's contact, as the e-mail channel knows them. */
export interface Contact { id: number; customerId: string; name: string; email: string }

export type InboundRoute =
  | { kind: 'reply'; ticketId: string; contact: Contact }
  | { kind: 'new'; contact: Contact }
  | { kind: 'quarantine'; reason: string };

/**
 * Why a message was written by a machine, or null. Answering one could start a mail loop (RFC 3834:
 * Auto-Submitted; the customary Precedence: bulk/junk/list; our own From, which only a loop brings back).
 */
export function automaticReason(headers: Record<string, string>, fromAddress: string, ourAddress: string): string | null {
  const autoSubmitted = headers['auto-submitted']?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `automatic message (Auto-Submitted: ${autoSubmitted})`;
  const precedence = headers.precedence?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `automatic message (Precedence: ${precedence})`;
  if (fromAddress.toLowerCase() === ourAddress.toLowerCase()) return 'sent from our own address (a mail loop)';
  return null;
}

/** The ticket number the subject carries as `[T-2026-000123]`, as our notifications write it. */
export function ticketNumberIn(subject: string, prefix: string): string | null {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\[(${escaped}-\\d{4}-\\d{6})\\]`).exec(subject)?.[1] ?? null;
}

/** The notification deliveries a reply refers to, from our Message-IDs (`<crmflow.delivery.N@…>`). */
export function deliveryIdsIn(messageIds: readonly string[]): number[] {
  return messageIds.flatMap((id) => {
    const match = /^<?crmflow\.delivery\.(\d+)@/.exec(id.trim());
    return match ? [Number(match[1])] : [];
  });
}

/**
 * The new words of a reply: the quoted history (`>` lines, and everything from an attribution line such
 * as "On Mon, … wrote:" or an "-----Original Message-----" separator on) is cut off, as helpdesks do.
 */
export function newText(body: string): string {
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (/^-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}/i.test(line.trim())) break;
    if (/^(On|Am) .+(wrote|schrieb):\s*$/i.test(line.trim())) break;
    if (/^>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

/**
 * The customer acting for themselves through the e-mail channel or the portal. Those doors only ever
 * carry the actions the front line records for a customer (a reply, a note, a confirmation or a
 * rejection), so the customer acts with the front line's role on exactly those; the id names the contact
 * in every event it causes.
 */
export const contactActor = (contact: Contact): Actor => ({ id: `contact:${contact.id}`, name: contactActorName(contact.name), roles: ['agent'] });
export const contactActorName = (name: string) => `${name} (customer)`;
/** The contact an actor id names, or null when it names someone else. */
export function contactIdOf(actorId: string): number | null {
  const match = /^contact:(\d+)$/.exec(actorId);
  return match ? Number(match[1]) : null;
}

// The inbound workflows (workflows/inbound.ts).
export const INBOUND_MAIL_WORKFLOW = 'inboundMail';
export const inboundWorkflowId = (inboundId: number) => `inbound-${inboundId}`;
export const INBOUND_SWEEP_WORKFLOW = 'inboundSweep';
export const INBOUND_SWEEP_WORKFLOW_ID = 'inbound-sweep';
export interface InboundSweepInput {
  intervalMs: number;
  /** Sweeps left before the run continues as new (default: a full run). */
  sweeps?: number;
}
