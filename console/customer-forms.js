// Creating and changing a customer, and the second finance user's decision on a credit-limit raise. Which
// fields a form shows is the API's answer for the signed-in user (GET /customers/field-access, read off the
// routes' own declarations), never a copy of the policy; the API judges every request again.
import { api, newIdempotencyKey } from './api.js';
import { announce, field, formatTime, h, words } from './dom.js';
import { recordForm } from './forms.js';
import { rowsEditor } from './lines.js';
import { CREDIT_ROLES, hasRole } from './roles.js';
import { dataTable } from './table.js';
import { CUSTOMER_KINDS, CUSTOMER_TIERS } from './vocab.js';

/** The caller's permissions for POST and PATCH /customers, asked once per page. */
export const fieldAccess = () => api('/customers/field-access');

const may = (access, name) => access?.[name] && access[name].may !== 'none';
const select = (id, name, values, selected) => h('select', { id, name }, values.map((v) => h('option', { value: v, selected: v === selected }, words(v))));

function contactsEditor(id, contacts) {
  return rowsEditor({
    id, legend: 'Contacts', addLabel: 'Add contact',
    initial: contacts.length > 0 ? contacts.map((c) => ({ name: c.name, email: c.email ?? '', phone: c.phone ?? '' })) : [{}],
    columns: [
      { name: 'name', label: 'Name', attrs: { maxlength: 200 } },
      { name: 'email', label: 'E-mail', attrs: { type: 'email', maxlength: 320 } },
      { name: 'phone', label: 'Phone', attrs: { type: 'tel', maxlength: 40 } },
    ],
  });
}
/** A contact as the API takes it: the name, and whichever of e-mail and phone was typed. */
const contactBody = (rows) => rows.map(({ name, email, phone }) => ({ name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) }));

/** The bound a role works within, e.g. "at most 1000.00 (credit.defaultLimit)". */
const boundNote = (permission) => (permission.may === 'at-most' ? `at most ${permission.value} (setting ${permission.setting})` : '');

/** "New customer" on the Customers page: POST /customers, then the new cockpit. */
export function newCustomerForm(access) {
  let idempotencyKey = newIdempotencyKey();
  const contacts = contactsEditor('new-customer-contacts', []);
  const tier = access.tier;
  const limit = access.creditLimit;
  const body = [
    field('new-customer-name', 'Name', h('input', { id: 'new-customer-name', name: 'name', required: true, maxlength: 200 })),
    h('div', { className: 'row' },
      field('new-customer-kind', 'Kind', select('new-customer-kind', 'kind', CUSTOMER_KINDS, 'enterprise')),
      field('new-customer-region', 'Region', h('input', { id: 'new-customer-region', name: 'region', maxlength: 100 })),
      tier.may === 'any' && field('new-customer-tier', 'Tier', select('new-customer-tier', 'tier', CUSTOMER_TIERS, 'standard')),
      field('new-customer-limit', 'Credit limit', h('input', {
        id: 'new-customer-limit', name: 'creditLimit', required: true, value: '0.00', inputmode: 'decimal', 'aria-describedby': limit.may === 'at-most' ? 'new-customer-limit-note' : null,
      }))),
    tier.may === 'equals' && h('p', { className: 'muted', id: 'new-customer-tier-note' }, `Tier: ${tier.value} (others set by a supervisor or sales manager).`),
    limit.may === 'at-most' && h('p', { className: 'muted', id: 'new-customer-limit-note' }, `Credit limit ${boundNote(limit)}; finance sets a higher one.`),
    contacts.element,
  ];
  return recordForm({
    id: 'new-customer', title: 'New customer', submit: 'Create customer', fields: body, className: '',
    send: async (_values, data) => {
      const region = data.get('region').trim();
      const customer = await api('/customers', {
        method: 'POST', headers: { 'idempotency-key': idempotencyKey },
        body: {
          name: data.get('name'), kind: data.get('kind'), ...(region ? { region } : {}),
          tier: tier.may === 'any' ? data.get('tier') : tier.value,
          creditLimit: data.get('creditLimit').trim(),
          contacts: contactBody(contacts.rows()),
        },
      });
      idempotencyKey = newIdempotencyKey();
      announce(`Created customer ${customer.id}.`);
      location.hash = `#/customers/${encodeURIComponent(customer.id)}`;
    },
  });
}

/**
 * "Edit" on the cockpit: the fields the signed-in user may change (PATCH /customers/:id), sending only
 * those changed. A credit limit goes with its reason; a raise beyond self-service answers 202, pending.
 */
export function editCustomerForm(customer, access, saved) {
  const id = 'edit-customer';
  const contacts = may(access, 'contacts') && contactsEditor(`${id}-contacts`, customer.contacts);
  const text = (name, label, value, attrs = {}) => may(access, name) && field(`${id}-${name}`, label, h('input', { id: `${id}-${name}`, name, value: value ?? '', ...attrs }));
  const body = [
    text('name', 'Name', customer.name, { required: true, maxlength: 200 }),
    h('div', { className: 'row' },
      may(access, 'kind') && field(`${id}-kind`, 'Kind', select(`${id}-kind`, 'kind', CUSTOMER_KINDS, customer.kind)),
      text('region', 'Region', customer.region, { maxlength: 100 }),
      may(access, 'tier') && field(`${id}-tier`, 'Tier', select(`${id}-tier`, 'tier', CUSTOMER_TIERS, customer.tier)),
      text('creditLimit', 'Credit limit', customer.creditLimit, { required: true, inputmode: 'decimal' })),
    may(access, 'reason') && field(`${id}-reason`, 'Reason for a credit limit change', h('textarea', { id: `${id}-reason`, name: 'reason', rows: 2, maxlength: 500 })),
    contacts && contacts.element,
  ];
  return recordForm({
    id, title: 'Change the customer', submit: 'Save changes', fields: body, className: '',
    send: async (_values, data) => {
      const changes = {};
      for (const name of ['name', 'kind', 'region', 'tier', 'creditLimit']) {
        if (data.has(name) && data.get(name).trim() !== (customer[name] ?? '')) changes[name] = data.get(name).trim();
      }
      if (contacts) {
        const typed = contactBody(contacts.rows());
        if (JSON.stringify(typed) !== JSON.stringify(contactBody(customer.contacts.map((c) => ({ name: c.name, email: c.email ?? '', phone: c.phone ?? '' }))))) changes.contacts = typed;
      }
      if (changes.creditLimit !== undefined && data.get('reason')?.trim()) changes.reason = data.get('reason').trim();
      if (Object.keys(changes).length === 0) return announce('Nothing changed.');
      const answer = await api(`/customers/${encodeURIComponent(customer.id)}`, { method: 'PATCH', body: changes });
      const pending = answer.creditLimitRequest;
      announce(pending
        ? `The raise to ${pending.toLimit} awaits a second finance user (request ${pending.id}); the limit stays ${pending.fromLimit}.`
        : 'Saved.');
      saved();
    },
  });
}

/** Raises waiting for, or decided by, a second finance user; the one who asked sees no buttons. */
export function creditRequests(customerId, requests, me, decided) {
  const mayDecide = (r) => r.status === 'pending' && hasRole(me, CREDIT_ROLES) && r.requestedBy !== me.id;
  async function decide(r, verb, comment, error) {
    error.textContent = '';
    try {
      await api(`/customers/${encodeURIComponent(customerId)}/credit-limit-requests/${r.id}/${verb}`, { method: 'POST', body: comment ? { comment } : {} });
      announce(verb === 'approve' ? `Approved: the credit limit is now ${r.toLimit}.` : `Rejected the raise to ${r.toLimit}.`);
      decided();
    } catch (err) {
      error.textContent = err.message;
    }
  }
  function decision(r) {
    if (r.status !== 'pending') return [words(r.status), r.decidedBy && ` by ${r.decidedBy === me.id ? 'you' : r.decidedBy}`, r.comment && `: ${r.comment}`];
    if (!mayDecide(r)) return r.requestedBy === me.id ? 'awaiting another finance user' : 'awaiting finance';
    const comment = h('input', { id: `credit-request-${r.id}-comment`, maxlength: 500 });
    const error = h('p', { className: 'error', role: 'alert' });
    return h('div', { role: 'group', 'aria-label': `Decide request ${r.id}` },
      field(comment.id, 'Comment', comment),
      h('div', { className: 'buttons' },
        h('button', { type: 'button', className: 'primary', onclick: () => decide(r, 'approve', comment.value.trim(), error) }, 'Approve'),
        h('button', { type: 'button', onclick: () => decide(r, 'reject', comment.value.trim(), error) }, 'Reject')),
      error);
  }
  return h('section', { className: 'card', id: 'credit-requests', 'aria-labelledby': 'credit-requests-title' },
    h('h2', { id: 'credit-requests-title' }, 'Credit limit raises'),
    dataTable({
      id: 'credit-requests-table', caption: 'Credit limit raises needing a second finance user, newest first', items: requests, rowKey: (r) => String(r.id), empty: '',
      columns: [['Raise', (r) => `${r.fromLimit} → ${r.toLimit}`], ['Asked', (r) => `${r.requestedBy === me.id ? 'you' : r.requestedBy}, ${formatTime(r.requestedAt)}`],
        ['Reason', (r) => r.reason], ['Decision', decision]],
    }));
}

/** Loads the pending and decided raises of one customer; an empty list draws nothing. */
export const creditRequestsOf = (customerId) => api(`/customers/${encodeURIComponent(customerId)}/credit-limit-requests`);
