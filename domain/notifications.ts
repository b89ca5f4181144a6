import type { Role } from './roles';
import type { Tier } from './tickets';

// SPEC §9: what crmflow tells people, and who. A kind is also the event type a webhook subscribes to,
// and names the template that words it (channels/templates/<language>/<kind>.txt).

export interface NotificationKindInfo {
  /** The fields its template may use; every notification of the kind carries them. */
  fields: readonly string[];
  /** Said in the README's event catalogue and the preferences list. */
  description: string;
  /**
   * Per-recipient links the e-mail to a customer adds to the fields (the portal, domain/portal.ts): never
   * stored with the notification, since each is a capability for one person.
   */
  links?: readonly string[];
}

export const NOTIFICATION_KINDS = {
  'ticket.vip_intake': { fields: ['number', 'subject', 'priority', 'category', 'customerId'], description: 'a VIP customer opened a ticket (supervisors)' },
  'ticket.opened': { fields: ['number', 'subject'], description: 'acknowledgement of a new ticket with its number (the customer)' },
  'ticket.escalated': { fields: ['number', 'subject', 'priority', 'tier', 'reason'], description: 'a ticket entered a tier queue (the tier\'s support staff)' },
  'ticket.sla_reminder': { fields: ['number', 'subject', 'priority', 'clock', 'percent', 'dueAt'], description: 'an SLA window is nearly used up (the tier\'s queue and the assignee)' },
  'ticket.sla_breached': { fields: ['number', 'subject', 'priority', 'clock', 'tier'], description: 'an SLA window passed (supervisors)' },
  'ticket.customer_question': { fields: ['number', 'subject', 'question'], links: ['answerUrl'], description: 'support asks the customer for information (the customer)' },
  'ticket.resolved': { fields: ['number', 'subject', 'resolution'], links: ['solvedUrl', 'notSolvedUrl'], description: 'the resolution, for the customer to confirm or reject (the customer)' },
  'ticket.closed_unanswered': {
    fields: ['number', 'subject', 'waited'], description: 'a ticket waiting for the customer\'s answer longer than ticket.pendingCustomerTimeout was closed (the customer)',
  },
  'ticket.low_satisfaction': { fields: ['number', 'subject', 'satisfaction', 'comment'], description: 'a customer confirmed a resolution with a score of 1 or 2 (supervisors)' },
  'order.confirmed': { fields: ['number', 'total'], description: 'an order was received (the customer)' },
  'order.credit_hold': { fields: ['number', 'total', 'customerId'], description: 'an order exceeds the customer\'s credit limit (finance)' },
  'order.activation_requested': { fields: ['number'], description: 'service lines are configured and need an activation report (fulfilment)' },
  'order.invoiced': { fields: ['number', 'invoiceId', 'total', 'dueDays'], description: 'an order was invoiced (the customer)' },
  'order.cancelled': { fields: ['number', 'reason'], description: 'an order was cancelled (the customer)' },
  'contract.approval_requested': { fields: ['number', 'role'], description: 'a contract or amendment awaits an approval step (the step\'s role)' },
  'contract.renewing': { fields: ['number', 'validTo', 'renewalMonths'], description: 'an auto-renewing contract reaches its notice period (its owner and contract administration)' },
  'contract.expiring': { fields: ['number', 'validTo'], description: 'a contract without auto-renewal reaches its notice period (its owner and contract administration)' },
  'invoice.overdue': { fields: ['number', 'dueOn', 'asOf', 'amountDue', 'lateFee'], description: 'an invoice is unpaid after its due date (the customer)' },
  /** Written by processes started before the kinds above existed: the subject and body come ready-made. */
  notice: { fields: ['number', 'subject', 'body'], description: 'a ready-worded notice' },
} as const satisfies Record<string, NotificationKindInfo>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const KINDS = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];
export const isNotificationKind = (value: string): value is NotificationKind => Object.hasOwn(NOTIFICATION_KINDS, value);

/** Who a notification is for: everyone holding a role, everyone working a tier, one user, or a customer's contacts. */
export type Audience = `role:${Role}` | `tier:${Tier}` | `user:${string}` | `customer:${string}`;
export type NotificationData = Record<string, string | number>;

export interface NotificationInput {
  /** Stable per business event (e.g. `ticket-T-2026-000001:response-breach:4`), so a retry writes one row. */
  dedupeKey: string;
  kind: NotificationKind;
  audience: Audience[];
  resource: { type: 'ticket' | 'order' | 'contract' | 'invoice'; id: string };
  data: NotificationData;
}

export type AudienceTarget = { role: Role } | { tier: Tier } | { user: string } | { customer: string };

export function audienceTarget(audience: Audience): AudienceTarget {
  const colon = audience.indexOf(':');
  const [what, who] = [audience.slice(0, colon), audience.slice(colon + 1)];
  switch (what) {
    case 'role': return { role: who as Role };
    case 'tier': return { tier: who as Tier };
    case 'user': return { user: who };
    default: return { customer: who };
  }
}

export type PersonChannel = 'inbox' | 'email';
export const PERSON_CHANNELS: readonly PersonChannel[] = ['inbox', 'email'];

/** A supervisor must see breaches and VIP intake whatever they set: that is what the role is for. */
const MANDATORY_FOR: Partial<Record<NotificationKind, Role>> = { 'ticket.sla_breached': 'supervisor', 'ticket.vip_intake': 'supervisor' };

export const isMandatory = (kind: NotificationKind, roles: readonly Role[]): boolean => {
  const role = MANDATORY_FOR[kind];
  return role !== undefined && roles.includes(role);
};

/** Whether a user gets a kind on a channel: on unless turned off, and never off where it is mandatory. */
export function wants(kind: NotificationKind, channel: PersonChannel, roles: readonly Role[], turnedOff: ReadonlySet<string>): boolean {
  return isMandatory(kind, roles) || !turnedOff.has(preferenceKey(kind, channel));
}

export const preferenceKey = (kind: string, channel: PersonChannel) => `${kind}/${channel}`;

/** The identifiers a receiver sees on every attempt of one delivery, so it can drop a repeat. */
export const messageIdOf = (deliveryId: number, domain: string) => `<crmflow.delivery.${deliveryId}@${domain}>`;
export const webhookIdOf = (deliveryId: number) => `msg_crmflow_${deliveryId}`;

/**
 * A refusal that retrying cannot change: an SMTP 5xx (RFC 5321: permanent negative completion) or an
 * HTTP 410 Gone (the receiver says the endpoint is retired, as Standard Webhooks and Svix treat it).
 */
export const isPermanentSmtpRefusal = (code: number | undefined): boolean => code !== undefined && code >= 500 && code < 600;
export const isPermanentHttpRefusal = (status: number): boolean => status === 410;

// The delivery workflow (workflows/notification.ts): one per notification that has something to send.
export const NOTIFICATION_DELIVERY_WORKFLOW = 'notificationDelivery';
export const deliveryWorkflowId = (notificationId: number) => `notification-${notificationId}`;
export interface DeliveryInput {
  notificationId: number;
  retry: { initialMs: number; maxMs: number; giveUpAfterMs: number; attemptTimeoutMs: number };
}
