// The API's vocabularies, as the forms and filters offer them. They mirror domain/tickets.ts,
// domain/sla.ts and the queue route; test/e2e/console.test.ts fails when they drift apart.
export const CHANNELS = ['phone', 'email', 'web', 'walk_in', 'social'];
export const CATEGORIES = ['usage', 'fault', 'billing', 'service_quality', 'consultation', 'other'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
export const TIERS = ['L1', 'L2', 'L3'];
export const QUEUE_STATES = {
  L2: ['escalated_l2', 'in_progress_l2', 'pending_customer'],
  L3: ['escalated_l3', 'in_progress_l3', 'pending_customer'],
};
export const FINAL_STATES = ['closed', 'cancelled', 'merged'];
/** Each ticket state as people say it; one entry per state of domain/tickets.ts (the e2e test checks). */
export const STATUS_LABELS = {
  new: 'new',
  escalated_l2: 'escalated to L2',
  in_progress_l2: 'in progress at L2',
  escalated_l3: 'escalated to L3',
  in_progress_l3: 'in progress at L3',
  pending_customer: 'waiting for the customer',
  resolved: 'resolved',
  closed: 'closed',
  cancelled: 'cancelled',
  merged: 'merged into another ticket',
};
/** Each kind of task as its list says it; one entry per kind of domain/tasks.ts (test/e2e/desk.test.ts checks). */
export const TASK_LABELS = {
  'ticket.queue': 'ticket in your queue',
  'ticket.assigned': 'ticket assigned to you',
  'ticket.attention': 'ticket needing supervisor attention',
  'order.credit_hold': 'credit hold to decide',
  'order.shipment': 'order to ship',
  'order.delivery': 'delivery to confirm',
  'order.activation_report': 'activation to report',
  'contract.approval': 'contract to approve',
  'contract.signature': 'contract to sign',
  'contract.renewal': 'renewal due',
  'contract.retention': 'customer asking to leave',
};
/** Order and contract states, payment terms, contract types and billing, customer kinds and tiers, as the list filters
 * and the create forms offer them (domain/orders.ts, domain/contracts.ts, the customer route). */
export const ORDER_STATES = [
  'received', 'priced', 'credit_hold', 'reserved', 'backordered', 'awaiting_payment', 'fulfilling',
  'provisioning', 'shipped', 'delivered', 'activated', 'invoiced', 'completed', 'cancelled',
];
export const CONTRACT_STATES = ['draft', 'pending_approval', 'approved', 'signed', 'active', 'expired', 'terminated', 'completed'];
export const CUSTOMER_KINDS = ['enterprise', 'individual'];
export const CUSTOMER_TIERS = ['standard', 'key', 'vip'];
export const PAYMENT_TERMS = ['prepaid', 'cod', 'credit'];
export const CONTRACT_TYPES = ['value', 'quantity'];
export const BILLING_FREQUENCIES = ['monthly', 'quarterly'];
/** Every role a user may hold (domain/roles.ts) and the notification languages (channels/templates); test/e2e/desk-admin.test.ts checks both. */
export const ROLES = ['agent', 'support_l2', 'support_l3', 'supervisor', 'sales_manager', 'finance', 'legal', 'contract_admin', 'fulfilment', 'knowledge_engineer', 'manager', 'admin'];
export const LANGUAGES = ['de', 'en'];
