// The customer cockpit (#/customers/<id>): everything open with one customer, from
// GET /customers/:id/overview, each row linking to its own page, with the changes the signed-in user may
// make; and the search that reaches it (#/customers), with "New customer" for those who create them.
import { api } from './api.js';
import { creditRequests, creditRequestsOf, editCustomerForm, fieldAccess, newCustomerForm } from './customer-forms.js';
import { customerLinks } from './customer-picker.js';
import { customerPrices } from './customer-prices.js';
import { badge, countdown, formatTime, h, replace, statusText, words } from './dom.js';
import { CONTRACT_DRAFT_ROLES, FINANCE_ROLES, ORDER_ROLES, hasRole } from './roles.js';
import { agingTable, dataTable, linkedTickets, recordLink } from './table.js';

export function customerSearchView({ main }) {
  const create = h('div', { className: 'stack' });
  replace(main, h('h1', { tabindex: -1 }, 'Customers'),
    h('div', { className: 'columns' }, h('section', { className: 'card narrow-card' }, customerLinks({ id: 'customers-q', label: 'Find a customer' })), create));
  let left = false;
  fieldAccess().then((access) => {
    if (!left && access.create) replace(create, h('div', { className: 'card' }, newCustomerForm(access.create)));
  }, (err) => { if (!left) replace(create, h('p', { className: 'error', role: 'alert' }, err.message)); });
  return () => { left = true; };
}

const num = 'num';

function particulars(c, abc) {
  return h('dl', { id: 'customer-particulars' },
    h('dt', {}, 'Customer'), h('dd', {}, c.id),
    h('dt', {}, 'Kind'), h('dd', {}, c.kind),
    h('dt', {}, 'Tier'), h('dd', {}, c.tier === 'vip' ? badge('VIP', 'vip') : c.tier),
    h('dt', {}, 'Region'), h('dd', {}, c.region ?? '—'),
    h('dt', {}, 'Credit limit'), h('dd', { id: 'customer-credit-limit' }, c.creditLimit),
    h('dt', {}, 'ABC class'), h('dd', { id: 'customer-abc' },
      abc.class ? [badge(abc.class, `abc abc-${abc.class}`), ` revenue ${abc.revenue}, ${(abc.share * 100).toFixed(2)} % of all`] : 'none (no revenue)',
      h('span', { className: 'muted' }, ` · ${abc.from} to ${abc.to}`)));
}

function contacts(list) {
  if (list.length === 0) return h('p', { className: 'muted empty' }, 'No contacts recorded.');
  return h('ul', { className: 'contacts', id: 'customer-contacts' }, list.map((p) => h('li', {},
    h('strong', {}, p.name),
    p.phone && [' · ', h('a', { href: `tel:${p.phone}` }, p.phone)],
    p.email && [' · ', h('a', { href: `mailto:${p.email}` }, p.email)])));
}

const section = (id, title, ...content) => h('section', { className: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), content);

/** Starting an order or a contract draft for this customer, for those who may. */
function starts(customerId, me) {
  const query = `?customer=${encodeURIComponent(customerId)}`;
  return h('p', { className: 'buttons starts' },
    hasRole(me, ORDER_ROLES) && h('a', { href: `#/orders/new${query}`, className: 'button' }, 'New order'),
    hasRole(me, CONTRACT_DRAFT_ROLES) && h('a', { href: `#/contracts/new${query}`, className: 'button' }, 'New contract'));
}

/** What the signed-in user may change: the edit form (folded) and the credit-limit raises, if any. */
function changes(customer, access, requests, me, reload) {
  const editable = access.update && Object.values(access.update).some((p) => p.may !== 'none');
  return [
    editable && h('details', { className: 'card', id: 'cockpit-edit' }, h('summary', {}, 'Edit'), editCustomerForm(customer, access.update, reload)),
    requests.length > 0 && creditRequests(customer.id, requests, me, reload),
  ];
}

function cockpit(o, me, access, requests, reload) {
  const r = o.receivables;
  return [
    h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, o.customer.name), o.customer.tier === 'vip' && badge('VIP', 'vip'),
      o.abc.class && badge(`class ${o.abc.class}`, `abc abc-${o.abc.class}`), starts(o.customer.id, me)),
    h('div', { className: 'columns' },
      h('div', { className: 'stack' },
        section('cockpit-tickets', `Open tickets (${o.openTickets.length})`, dataTable({
          id: 'cockpit-tickets-table', caption: 'Open tickets', items: o.openTickets, rowKey: (t) => t.id, empty: 'No open tickets.',
          columns: [['Ticket', (t) => recordLink('tickets', t.id)], ['Subject', (t) => t.subject], ['Priority', (t) => badge(t.priority, `priority-${t.priority}`)],
            ['Status', (t) => statusText(t.status)], ['Next deadline', (t) => countdown(t.nextDueAt)], ['Flags', (t) => t.breached && badge('SLA breached', 'danger')]],
        })),
        section('cockpit-orders', `Open orders (${o.openOrders.length})`, dataTable({
          id: 'cockpit-orders-table', caption: 'Open orders', items: o.openOrders, rowKey: (x) => x.id, empty: 'No open orders.',
          columns: [['Order', (x) => recordLink('orders', x.id)], ['Status', (x) => words(x.status)], ['Terms', (x) => words(x.paymentTerms)],
            ['Total', (x) => x.total, num], ['Contract', (x) => recordLink('contracts', x.contractId)], ['Received', (x) => formatTime(x.createdAt)]],
        })),
        section('cockpit-contracts', `Contracts (${o.contracts.length})`, dataTable({
          id: 'cockpit-contracts-table', caption: 'Contracts not yet ended', items: o.contracts, rowKey: (x) => x.id, empty: 'No running contracts.',
          columns: [['Contract', (x) => recordLink('contracts', x.id)], ['Status', (x) => words(x.status)], ['Type', (x) => x.type], ['Valid to', (x) => x.validTo.slice(0, 10)],
            ['Target', (x) => x.targetValue, num], ['Consumed', (x) => x.consumed, num], ['Reserved', (x) => x.reserved, num], ['Remaining', (x) => x.remaining, num]],
        }))),
      h('div', { className: 'stack' },
        changes(o.customer, access, requests, me, reload),
        section('cockpit-contacts', 'Contacts', contacts(o.customer.contacts)),
        section('cockpit-linked', `Tickets naming a record (${o.linkedTickets.length})`, linkedTickets(o.linkedTickets, 'cockpit-linked-tickets')),
        section('cockpit-particulars', 'Particulars', particulars(o.customer, o.abc)),
        customerPrices(o.customer.id, me),
        section('cockpit-receivables', `Receivables as of ${r.asOf}`,
          h('p', {}, `${r.invoices} open invoice${r.invoices === 1 ? '' : 's'}: ${r.outstanding} outstanding + ${r.lateFees} late fees = `, h('strong', { id: 'cockpit-receivables-total' }, r.total)),
          agingTable('cockpit-aging', r.buckets),
          h('h3', {}, 'Open invoices'),
          dataTable({
            id: 'cockpit-invoices', caption: 'Open invoices, oldest due first', items: o.openInvoices, rowKey: (i) => i.id, empty: 'No open invoices.',
            columns: [['Invoice', (i) => i.id], ['Due', (i) => i.dueOn], ['Days overdue', (i) => String(i.daysOverdue), num], ['Late fee', (i) => i.lateFee, num], ['Amount due', (i) => i.amountDue, num]],
          }),
          me.roles.some((role) => FINANCE_ROLES.includes(role)) && h('p', {}, h('a', { href: `#/finance?customer=${encodeURIComponent(o.customer.id)}` }, 'Open in Finance'))))),
  ];
}

export function customerView({ me, main }, id) {
  let left = false;
  replace(main, h('h1', { tabindex: -1 }, id), h('p', { className: 'muted' }, 'Loading…'));
  const access = fieldAccess();
  function load() {
    Promise.all([api(`/customers/${encodeURIComponent(id)}/overview`), access, creditRequestsOf(id)]).then(([overview, fields, requests]) => {
      if (left) return;
      replace(main, cockpit(overview, me, fields, requests, load));
      main.querySelector('h1')?.focus();
    }, (err) => {
      if (!left) replace(main, h('h1', { tabindex: -1 }, id), h('p', { className: 'error', role: 'alert' }, err.message));
    });
  }
  load();
  return () => { left = true; };
}
