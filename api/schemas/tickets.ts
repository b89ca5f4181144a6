import { Type, type Static } from '@sinclair/typebox';
import { PRIORITIES, CUSTOMER_TIERS } from '../../domain/sla';
import { CATEGORIES, CHANNELS, TICKET_ACTION_NAMES, TICKET_STATES, TIERS } from '../../domain/tickets';
import type { TicketView as WorkflowTicketView } from '../../domain/processes/ticket';
import { Literals, Nullable, Obj, Text, type SameShape } from './common';

export const TicketStatus = Literals(TICKET_STATES);
export const Tier = Literals(TIERS);
export const Priority = Literals(PRIORITIES);
export const Category = Literals(CATEGORIES);
export const Channel = Literals(CHANNELS);
export const CustomerTier = Literals(CUSTOMER_TIERS);
const Instant = Nullable(Type.String({ format: 'date-time' }));

export const CreateTicket = Obj({
  customerId: Type.String({ minLength: 1, maxLength: 64 }),
  channel: Channel,
  category: Category,
  priority: Priority,
  subject: Text(200),
  description: Text(10_000),
});

export const TicketView = Type.Object({
  id: Type.String(),
  status: TicketStatus,
  tier: Tier,
  assigneeId: Nullable(Type.String()),
  customerId: Type.String(),
  customerTier: Type.String(),
  category: Category,
  priority: Priority,
  dispatchOpinion: Nullable(Type.String()),
  resolution: Nullable(Type.String()),
  satisfaction: Nullable(Type.Integer()),
  breached: Type.Boolean(),
  supervisorAttention: Type.Boolean(),
  sla: Type.Object({
    responseDueAt: Instant,
    resolutionDueAt: Instant,
    confirmationDueAt: Instant,
    customerAnswerDueAt: Instant,
    resolutionPaused: Type.Boolean(),
    responseBreached: Type.Boolean(),
    resolutionBreached: Type.Boolean(),
    calendar: Nullable(Type.String()),
  }),
  allowedActions: Type.Array(Literals(TICKET_ACTION_NAMES)),
});

// The workflow's TypeScript view and this schema describe the same object; the compiler holds them together.
const _sameShape: SameShape<Static<typeof TicketView>, WorkflowTicketView> = true;

export const TicketRow = Type.Object({
  id: Type.String(),
  status: TicketStatus,
  tier: Tier,
  customerId: Type.String(),
  customerTier: CustomerTier,
  channel: Channel,
  category: Category,
  priority: Priority,
  subject: Type.String(),
  assigneeId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  breached: Type.Boolean(),
  supervisorAttention: Type.Boolean(),
  responseDueAt: Instant,
  resolutionDueAt: Instant,
  nextDueAt: Instant,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const TicketEvent = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  actorId: Type.String(),
  actorName: Type.String({ description: "the user's name, or the process's own actor (SLA clock)" }),
  fromStatus: Nullable(TicketStatus),
  toStatus: TicketStatus,
  fromTier: Nullable(Tier),
  toTier: Tier,
  note: Nullable(Type.String()),
  internal: Type.Boolean(),
  at: Type.String(),
});

export const TicketDetail = Type.Composite([TicketRow, Type.Object({
  description: Type.String(),
  dispatchOpinion: Nullable(Type.String()),
  resolution: Nullable(Type.String()),
  satisfaction: Nullable(Type.Integer()),
  escalations: Type.Integer(),
  reopens: Type.Integer(),
  sla: Type.Unknown({ description: 'the SLA terms fixed at intake: windows, reminder share, source, calendar' }),
  live: Nullable(TicketView),
  timeline: Type.Array(TicketEvent),
})]);

export const TicketActionBodies = {
  escalate: Obj({ opinion: Text(5000, 'the dispatch opinion: what the next tier should do, or why it is needed') }),
  claim: Obj({}),
  release: Obj({}),
  notes: Obj({ text: Text(10_000), internal: Type.Optional(Type.Boolean({ default: false, description: 'internal notes are not shown to the customer' })) }),
  'request-info': Obj({ question: Text(5000) }),
  'customer-reply': Obj({ text: Text(10_000) }),
  resolve: Obj({ resolution: Text(10_000) }),
  confirm: Obj({ satisfaction: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Text(5000)) }),
  reject: Obj({ reason: Text(5000) }),
  cancel: Obj({ reason: Text(5000) }),
  reassign: Obj({ tier: Tier, assigneeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
};
