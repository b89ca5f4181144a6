// What each ticket action asks of the user. Which actions appear is never decided here: the ticket
// page shows exactly the `allowedActions` the workflow reports for the signed-in user.
import { h } from './dom.js';
import { TIERS } from './vocab.js';

const text = (name, label, { optional = false, multiline = true } = {}) => ({ name, label, optional, kind: multiline ? 'textarea' : 'input' });
const choice = (name, label, options) => ({ name, label, kind: 'select', options });

export const ACTIONS = {
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

function control(field, id) {
  if (field.kind === 'checkbox') return h('input', { id, name: field.name, type: 'checkbox' });
  if (field.kind === 'select') return h('select', { id, name: field.name }, field.options.map((o) => h('option', { value: o }, o)));
  return h(field.kind, { id, name: field.name, required: !field.optional, rows: field.kind === 'textarea' ? 3 : null });
}

/** The request body from the form: checkboxes as booleans, numbers as numbers, empty optional fields left out. */
function bodyOf(form, fields) {
  const body = {};
  for (const field of fields) {
    const el = form.elements.namedItem(field.name);
    if (field.kind === 'checkbox') body[field.name] = el.checked;
    else if (field.name === 'satisfaction') body[field.name] = Number(el.value);
    else if (el.value.trim() !== '' || !field.optional) body[field.name] = el.value.trim();
  }
  return body;
}

/** The form for one action; `submit(body)` sends it, `close()` dismisses it (Escape does too). */
export function actionForm(action, { submit, close }) {
  const { label, fields } = ACTIONS[action];
  const send = h('button', { type: 'submit', className: 'primary' }, label);
  const form = h('form', {
    className: 'action-form card',
    'aria-label': label,
    onkeydown: (e) => { if (e.key === 'Escape') close(); },
    onsubmit: async (e) => {
      e.preventDefault();
      send.disabled = true;
      try { await submit(bodyOf(form, fields)); } finally { send.disabled = false; }
    },
  },
  h('h3', {}, label),
  fields.map((field) => {
    const id = `action-${action}-${field.name}`;
    const input = control(field, id);
    const lbl = h('label', { for: id }, field.label, field.optional ? h('span', { className: 'muted' }, ' (optional)') : null);
    return h('div', { className: field.kind === 'checkbox' ? 'field check' : 'field' }, field.kind === 'checkbox' ? [input, lbl] : [lbl, input]);
  }),
  h('div', { className: 'buttons' }, send, h('button', { type: 'button', onclick: close }, 'Back')));
  return form;
}
