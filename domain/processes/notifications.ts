import type { ApproverRole } from '../approvals';
import type { NotificationInput } from '../notifications';
import { isLowSatisfaction } from '../portal';
import { isQueueTier } from '../tickets';
import type { ContractEventRecord, ContractRecord } from './contract';
import type { TicketEventRecord, TicketRecord } from './ticket';

// Notifications that announce a recorded transition are derived from the record itself and written in
// its transaction, so the fact and its announcement land together or not at all. Those announcing a
// clock with no transition of its own (reminders, renewal notices) and those the processes have always
// sent (VIP intake, breaches, order steps) come from the workflows through the notify activity.

/**
 * A ticket entering a tier queue tells that tier; the customer hears of the number, questions and the
 * resolution; a confirmation with a low score tells the supervisors (whoever recorded it: the customer on
 * the portal or an agent on the phone).
 */
export function ticketEventNotifications(t: TicketRecord, e: TicketEventRecord): NotificationInput[] {
  const base = { resource: { type: 'ticket' as const, id: t.id } };
  const key = (what: string) => `ticket:${t.id}:${what}:${e.seq}`;
  const out: NotificationInput[] = [];
  if (e.action === 'open') {
    out.push({ ...base, dedupeKey: key('opened'), kind: 'ticket.opened', audience: [`customer:${t.customerId}`], data: { number: t.id, subject: t.subject } });
  }
  if (e.toTier !== e.fromTier && e.fromTier !== null && isQueueTier(e.toTier)) {
    out.push({
      ...base, dedupeKey: key('escalated'), kind: 'ticket.escalated', audience: [`tier:${e.toTier}`],
      data: { number: t.id, subject: t.subject, priority: t.priority, tier: e.toTier, reason: e.note ?? e.action },
    });
  }
  if (e.action === 'request-info' && e.note) {
    out.push({ ...base, dedupeKey: key('question'), kind: 'ticket.customer_question', audience: [`customer:${t.customerId}`], data: { number: t.id, subject: t.subject, question: e.note } });
  }
  if (e.action === 'resolve' && t.resolution) {
    out.push({ ...base, dedupeKey: key('resolved'), kind: 'ticket.resolved', audience: [`customer:${t.customerId}`], data: { number: t.id, subject: t.subject, resolution: t.resolution } });
  }
  if (e.action === 'confirm' && isLowSatisfaction(t.satisfaction)) {
    out.push({
      ...base, dedupeKey: key('low-satisfaction'), kind: 'ticket.low_satisfaction', audience: ['role:supervisor'],
      data: { number: t.id, subject: t.subject, satisfaction: t.satisfaction!, comment: e.note ?? '—' },
    });
  }
  return out;
}

/** Each step of an approval chain that becomes current asks its role. */
export function contractEventNotifications(c: ContractRecord, e: ContractEventRecord): NotificationInput[] {
  if (c.awaiting === null || !['submit', 'approve', 'amend'].includes(e.action)) return [];
  const role = c.awaiting as ApproverRole;
  return [{
    dedupeKey: `contract:${c.id}:approval-requested:${e.seq}`, kind: 'contract.approval_requested',
    audience: [`role:${role}`], resource: { type: 'contract', id: c.id }, data: { number: c.id, role },
  }];
}
