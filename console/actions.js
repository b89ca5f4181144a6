// What each process action asks of the user, and the one form that asks it. Which actions appear is
// never decided here: a page shows exactly the `allowedActions` the workflow reports for the signed-in
// user (panel.js). An entry's key names its button; `action` (default: the key) is the API's action, so one
// action can have two buttons (a credit decision releases or rejects), with `fixed` parts of the body.
import { h } from './dom.js';
import { TIERS } from './vocab.js';

const text = (name, label, { optional = false, multiline = true, into } = {}) => ({ name, label, optional, into, kind: multiline ? 'textarea' : 'input' });
const choice = (name, label, options) => ({ name, label, kind: 'select', options });
const input = (type, name, label, extra = {}) => ({ name, label, kind: 'input', type, optional: false, ...extra });
/** "SKU-1 12.50" per line → [{ sku, unitPrice }]; a malformed line goes to the API as typed, which says what is wrong with it. */
const priceLines = (name, label, extra) => ({
  name, label, kind: 'textarea', optional: true, ...extra,
  parse: (value) => value.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [sku, ...price] = line.split(/\s+/);
    return { sku, unitPrice: price.join(' ') };
  }),
});

export const TICKET_ACTIONS = {
  claim: { label: 'Claim' },
  release: { label: 'Release to queue' },
  notes: { label: 'Add note', fields: [text('text', 'Note'), { name: 'internal', label: 'Internal (not shown to the customer)', kind: 'checkbox' }] },
  'request-info': { label: 'Request information', fields: [text('question', 'Question for the customer')] },
  'customer-reply': { label: "Record customer's reply", fields: [text('text', "The customer's reply")] },
  resolve: { label: 'Resolve', fields: [text('resolution', 'Resolution')] },
  escalate: { label: 'Escalate', fields: [text('opinion', 'Dispatch opinion: what the next tier should do')] },
  confirm: { label: 'Record confirmation', fields: [choice('satisfaction', 'Satisfaction (5 = very satisfied)', ['5', '4', '3', '2', '1']), text('comment', 'Comment', { optional: true })] },
  reject: { label: 'Record rejection', fields: [text('reason', 'Why the customer rejects the resolution')] },
  cancel: { label: 'Cancel ticket', fields: [text('reason', 'Reason for cancelling')] },
  reassign: { label: 'Reassign', fields: [choice('tier', 'Tier', TIERS), text('assigneeId', 'Assignee user id (empty: back to the queue)', { optional: true, multiline: false })] },
  merge: { label: 'Merge into…', fields: [text('into', 'The ticket that carries on (e.g. T-2026-000123); this one closes as merged, its notes move there', { multiline: false })] },
};

export const CONTRACT_ACTIONS = {
  submit: { label: 'Submit for approval' },
  approve: { label: 'Approve', fields: [text('comment', 'Comment', { optional: true })] },
  reject: { label: 'Reject', fields: [text('comment', 'Why (the draft goes back to its drafter)')] },
  sign: { label: 'Sign', fields: [input('date', 'signedAt', 'Signed on (empty: now)', { optional: true })] },
  amend: {
    label: 'Amend',
    fields: [
      input('text', 'targetValue', 'New target value (e.g. 150000.00)', { optional: true, into: 'changes', pattern: '\\d+\\.\\d{2}' }),
      input('date', 'validTo', 'New end date', { optional: true, into: 'changes' }),
      priceLines('prices', 'New price list, one "SKU price" per line (replaces the whole list)', { into: 'changes' }),
      text('terms', 'New terms text', { optional: true, into: 'changes' }),
      text('reason', 'Reason for the amendment'),
    ],
  },
  renew: { label: 'Renew', fields: [input('number', 'months', 'Months (empty: the contract\'s renewal term)', { optional: true, min: 1, max: 120 })] },
  terminate: { label: 'Terminate', fields: [input('date', 'effectiveDate', 'Effective on'), text('reason', 'Reason for terminating')] },
  // The retention step (issue 17): a customer who asks to leave is first offered something to stay.
  'termination-request': { label: 'Customer wants to leave', fields: [text('reason', 'Why the customer wants to leave')] },
  'retention-offer': {
    label: 'Record a retention offer',
    fields: [
      input('number', 'discountPercent', 'Discount on every price, in percent', { optional: true, min: 0.01, max: 100, step: 0.01 }),
      input('number', 'months', 'Extend the term by months', { optional: true, min: 1, max: 120 }),
      text('alternative', 'An alternative in words', { optional: true }),
    ],
  },
  'retention-accept': { label: 'Customer accepts the offer', fields: [text('note', 'Note', { optional: true })] },
  'retention-decline': { label: 'Customer declines: terminate with notice', fields: [text('note', 'Note', { optional: true })] },
};

export const ORDER_ACTIONS = {
  'credit-release': { action: 'credit-decision', label: 'Release credit hold', fixed: { approve: true }, fields: [text('note', 'Note', { optional: true })] },
  'credit-reject': { action: 'credit-decision', label: 'Reject credit', fixed: { approve: false }, fields: [text('note', 'Reason (the order is cancelled)')] },
  payments: { label: 'Record payment', fields: [input('text', 'amount', 'Amount (the order total)', { pattern: '\\d+\\.\\d{2}' }), text('reference', 'Bank or card reference', { multiline: false })] },
  shipments: { label: 'Record shipment', fields: [text('carrier', 'Carrier', { multiline: false }), text('trackingNo', 'Tracking number', { multiline: false })] },
  delivered: { label: 'Confirm delivered' },
  'activation-report': { label: 'Report activation', fields: [text('note', 'What was checked', { optional: true })] },
  cancel: { label: 'Cancel order', fields: [text('reason', 'Reason for cancelling')] },
};

export const INCIDENT_ACTIONS = {
  attach: { label: 'Attach a ticket', fields: [text('ticketId', 'Ticket number (e.g. T-2026-000123); its resolution clock pauses until the incident is resolved', { multiline: false })] },
  resolve: { label: 'Resolve incident', fields: [text('resolution', 'Resolution (every attached ticket is resolved with it)')] },
};

/** The API action an entry runs. */
export const actionOf = (specs, key) => specs[key].action ?? key;

function control(field, id) {
  if (field.kind === 'checkbox') return h('input', { id, name: field.name, type: 'checkbox' });
  if (field.kind === 'select') return h('select', { id, name: field.name }, field.options.map((o) => h('option', { value: o }, o)));
  return h(field.kind, {
    id, name: field.name, required: !field.optional, rows: field.kind === 'textarea' ? 3 : null,
    type: field.type, pattern: field.pattern, min: field.min, max: field.max, step: field.step,
  });
}

function valueOf(field, el) {
  if (field.kind === 'checkbox') return el.checked;
  if (field.type === 'number' || field.name === 'satisfaction') return Number(el.value);
  return field.parse ? field.parse(el.value) : el.value.trim();
}

/** The request body from the form: the entry's fixed parts, then each field (empty optional ones left out), nested `into` a part where asked. */
function bodyOf(form, spec) {
  const body = structuredClone(spec.fixed ?? {});
  for (const field of spec.fields) {
    const el = form.elements.namedItem(field.name);
    if (field.kind !== 'checkbox' && field.optional && el.value.trim() === '') continue;
    const target = field.into ? (body[field.into] ??= {}) : body;
    target[field.name] = valueOf(field, el);
  }
  // An entry nesting every field somewhere still sends the part, empty: the API says what is missing.
  for (const field of spec.fields) if (field.into) body[field.into] ??= {};
  return body;
}

/**
 * The form for one entry; `submit(body)` sends it, `close()` dismisses it (Escape does too). `intro`, if
 * given, is shown above the fields (what a cancellation will undo).
 */
export function actionForm(specs, key, { submit, close, intro = null }) {
  const spec = specs[key];
  const send = h('button', { type: 'submit', className: 'primary' }, spec.label);
  const form = h('form', {
    className: 'action-form card',
    'aria-label': spec.label,
    onkeydown: (e) => { if (e.key === 'Escape') close(); },
    onsubmit: async (e) => {
      e.preventDefault();
      send.disabled = true;
      try { await submit(bodyOf(form, spec)); } finally { send.disabled = false; }
    },
  },
  h('h3', {}, spec.label),
  intro,
  spec.fields.map((field) => {
    const id = `action-${key}-${field.name}`;
    const el = control(field, id);
    const lbl = h('label', { for: id }, field.label, field.optional ? h('span', { className: 'muted' }, ' (optional)') : null);
    return h('div', { className: field.kind === 'checkbox' ? 'field check' : 'field' }, field.kind === 'checkbox' ? [el, lbl] : [lbl, el]);
  }),
  h('div', { className: 'buttons' }, send, h('button', { type: 'button', onclick: close }, 'Back')));
  return form;
}
