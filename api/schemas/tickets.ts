import { Type, type Static } from '@sinclair/typebox';
import { PRIORITIES, CUSTOMER_TIERS } from '../../domain/sla';
import { ENTITLEMENT_REASONS } from '../../domain/entitlement';
import { CATEGORIES, CHANNELS, RELATED_TYPES, TICKET_ACTION_NAMES, TICKET_STATES, TIERS } from '../../domain/tickets';
import type { TicketView as WorkflowTicketView } from '../../domain/processes/ticket';
import { Literals, Nullable, Obj, Text, type SameShape } from './common';

export const TicketStatus = Literals(TICKET_STATES);
export const Tier = Literals(TIERS);
export const Priority = Literals(PRIORITIES);
export const Category = Literals(CATEGORIES);
export const Channel = Literals(CHANNELS);
export const CustomerTier = Literals(CUSTOMER_TIERS);
const Instant = Nullable(Type.String({ format: 'date-time' }));
const RecordId = Type.String({ minLength: 1, maxLength: 64 });

export const RelatedRecord = Obj({ type: Literals(RELATED_TYPES), id: RecordId }, { description: "the customer's own order, invoice or contract the ticket is about" });

export const Entitlement = Type.Object({
  customerId: Type.String(),
  category: Category,
  at: Type.String({ format: 'date-time' }),
  entitled: Type.Boolean(),
  reason: Literals(ENTITLEMENT_REASONS, 'covered; else why not: no service contract, none covering the category, the covering one not yet valid or ended (`expired`)'),
  contract: Nullable(Type.Object({
    id: Type.String(),
    validFrom: Type.String(),
    validTo: Type.String(),
    coveredCategories: Nullable(Type.Array(Category)),
    sla: Type.Object({ responseMultiplier: Nullable(Type.Number()), resolutionMultiplier: Nullable(Type.Number()) }),
    remaining: Type.Object({ value: Type.String(), quantities: Nullable(Type.Array(Type.Object({ sku: Type.String(), qty: Type.Integer() }))) }, { description: 'left to call off now' }),
  })),
});

export const CreateTicket = Obj({
  customerId: Type.String({ minLength: 1, maxLength: 64 }),
  channel: Channel,
  category: Category,
  priority: Priority,
  subject: Text(200),
  description: Text(10_000),
  relatedTo: Type.Optional(RelatedRecord),
  incidentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'an open major incident: the ticket is attached at once and its resolution clock held' })),
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
  incidentId: Nullable(Type.String()),
  mergedInto: Nullable(Type.String()),
  sla: Type.Object({
    responseDueAt: Instant,
    resolutionDueAt: Instant,
    confirmationDueAt: Instant,
    customerAnswerDueAt: Instant,
    resolutionPaused: Type.Boolean(),
    pauseReason: Nullable(Literals(['major incident', 'pending customer'] as const)),
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
  entitlement: Nullable(Entitlement),
  relatedTo: Nullable(Type.Object({ type: Literals(RELATED_TYPES), id: Type.String() })),
  incidentId: Nullable(Type.String()),
  mergedInto: Nullable(Type.String()),
  timeline: Type.Array(TicketEvent),
  citedArticles: Type.Array(Type.Object({ seq: Type.Integer({ description: 'the resolve event' }), articleId: Type.String(), title: Type.String() })),
})]);

export const TicketActionBodies = {
  escalate: Obj({ opinion: Text(5000, 'the dispatch opinion: what the next tier should do, or why it is needed') }),
  claim: Obj({}),
  release: Obj({}),
  notes: Obj({ text: Text(10_000), internal: Type.Optional(Type.Boolean({ default: false, description: 'internal notes are not shown to the customer' })) }),
  'request-info': Obj({ question: Text(5000) }),
  'customer-reply': Obj({ text: Text(10_000) }),
  resolve: Obj({
    resolution: Text(10_000),
    articleIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 10, uniqueItems: true, description: 'published knowledge-base articles the resolution cites (GET /reports/articles)',
    })),
  }),
  confirm: Obj({ satisfaction: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Text(5000)) }),
  reject: Obj({ reason: Text(5000) }),
  cancel: Obj({ reason: Text(5000) }),
  reassign: Obj({ tier: Tier, assigneeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
  merge: Obj({ into: Type.String({ minLength: 1, maxLength: 64, description: 'the ticket that carries on; this one closes as `merged` and its notes move there' }) }),
};

/** A ticket naming a record, as the record's own page and the customer cockpit list it. */
export const LinkedTicket = Type.Object({
  id: Type.String(), status: TicketStatus, subject: Type.String(), relatedTo: Type.Object({ type: Literals(RELATED_TYPES), id: Type.String() }), createdAt: Type.String(),
});
