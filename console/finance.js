// Finance (#/finance): open invoices with what each owes on a chosen day (GET /invoices?asOf=), and, for
// the roles POST /payments admits, recording a customer's payment and showing how it was allocated
// (oldest due first, each invoice's late fee with its principal).
import { api, businessDay, newIdempotencyKey } from './api.js';
import { customerPicker } from './customer-picker.js';
import { announce, field, h, replace } from './dom.js';
import { PAYMENT_ROLES, RECEIVABLES_ROLES, hasRole } from './roles.js';
import { agingTable, dataTable, recordLink } from './table.js';

const num = 'num';

/** "1 234.50" arithmetic without floating point: amounts are two-decimal strings, summed as cents. */
const cents = (amount) => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};
const money = (total) => `${Math.trunc(total / 100)}.${String(total % 100).padStart(2, '0')}`;
const sum = (items, pick) => money(items.reduce((total, item) => total + cents(pick(item)), 0));


function invoiceTable(page) {
  const items = page.items;
  return [
    dataTable({
      id: 'finance-invoices', caption: 'Open invoices with amount due on the chosen day', items, rowKey: (i) => i.id,
      empty: 'No open invoices match.',
      columns: [['Invoice', (i) => i.id], ['Customer', (i) => recordLink('customers', i.customerId)], ['Issued', (i) => i.issuedOn], ['Due', (i) => i.dueOn],
        ['Amount', (i) => i.amount, num], ['Paid', (i) => i.paidAmount, num], ['Days overdue', (i) => String(i.daysOverdue), num],
        ['Late fee', (i) => i.lateFee, num], ['Amount due', (i) => i.amountDue, num]],
    }),
    items.length > 0 && h('p', { id: 'finance-total' }, `${items.length} open invoice${items.length === 1 ? '' : 's'}: late fees ${sum(items, (i) => i.lateFee)}, amount due `,
      h('strong', {}, sum(items, (i) => i.amountDue)), page.nextCursor ? ' (first 200 shown; narrow by customer)' : ''),
  ];
}

function allocationView(payment) {
  return h('section', { className: 'card', id: 'payment-result', 'aria-labelledby': 'payment-result-title' },
    h('h2', { id: 'payment-result-title' }, `Payment ${payment.id}: ${payment.amount} from ${payment.customerId}`),
    dataTable({
      id: 'payment-allocation', caption: 'How the payment was allocated', items: payment.allocations, rowKey: (a) => a.invoiceId,
      empty: 'It settled no invoice: the customer had none open.',
      columns: [['Invoice', (a) => a.invoiceId], ['Principal', (a) => a.amount, num], ['Late fee', (a) => a.lateFee, num], ['Settled', (a) => money(cents(a.amount) + cents(a.lateFee)), num]],
    }),
    h('p', { id: 'payment-unallocated' }, 'Unallocated (on account): ', h('strong', {}, payment.unallocated)));
}

function paymentForm(receivedOn, onRecorded) {
  // One key per payment being entered: a double click or a retried request records it once.
  let idempotencyKey = newIdempotencyKey();
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, 'Record payment');
  const form = h('form', {
    className: 'card', id: 'payment-form', 'aria-labelledby': 'payment-title',
    onsubmit: async (e) => {
      e.preventDefault();
      const { customerId, amount, reference, receivedAt } = Object.fromEntries(new FormData(form));
      send.disabled = true;
      error.textContent = '';
      try {
        const payment = await api('/payments', { method: 'POST', body: { customerId, amount: amount.trim(), reference, receivedAt }, headers: { 'idempotency-key': idempotencyKey } });
        idempotencyKey = newIdempotencyKey();
        announce(`Recorded payment ${payment.id}: ${payment.allocations.length} invoice${payment.allocations.length === 1 ? '' : 's'} settled.`);
        onRecorded(payment);
      } catch (err) {
        error.textContent = err.message;
      } finally {
        send.disabled = false;
      }
    },
  },
  h('h2', { id: 'payment-title' }, 'Record a payment'),
  customerPicker({ id: 'payment-customer-q' }),
  h('div', { className: 'row' },
    field('payment-amount', 'Amount', h('input', { id: 'payment-amount', name: 'amount', required: true, inputmode: 'decimal', pattern: '\\s*\\d{1,12}\\.\\d{2}\\s*', placeholder: '123.24' })),
    field('payment-received', 'Received on', h('input', { id: 'payment-received', name: 'receivedAt', type: 'date', required: true, value: receivedOn }))),
  field('payment-reference', 'Reference', h('input', { id: 'payment-reference', name: 'reference', required: true, maxlength: 200, placeholder: 'bank reference' })),
  h('p', { className: 'muted' }, 'Settles the customer’s open invoices oldest due first, each with its late fee to the day received.'),
  h('div', { className: 'buttons' }, send), error);
  return form;
}

export function financeView({ me, main }, params) {
  const asOf = h('input', { id: 'finance-asof', type: 'date', required: true, value: params.get('asOf') ?? businessDay() });
  const customerId = h('input', { id: 'finance-customer', size: 14, placeholder: 'CUS-000001', value: params.get('customer') ?? '' });
  const list = h('div', { id: 'finance-list', 'aria-live': 'polite' });
  // The aging of every open invoice (or one customer's), for those who read the receivables report.
  const aging = hasRole(me, RECEIVABLES_ROLES) && h('div', { id: 'finance-aging' });
  const result = h('div');
  let latest = 0;
  let left = false;

  async function load() {
    const mine = ++latest;
    try {
      const scope = { asOf: asOf.value, customerId: customerId.value.trim() };
      const [page, report] = await Promise.all([
        api('/invoices', { query: { status: 'open', ...scope, limit: 200 } }),
        aging && api('/reports/receivables', { query: scope }),
      ]);
      if (left || mine !== latest) return;
      replace(list, invoiceTable(page));
      if (aging) replace(aging, h('h3', {}, `Aging as of ${report.asOf}: `, h('span', { id: 'finance-aging-total' }, `${report.total.total} in ${report.total.invoices} invoice${report.total.invoices === 1 ? '' : 's'}`)), agingTable('finance-aging-table', report.buckets));
      list.setAttribute('data-loaded', asOf.value);
    } catch (err) {
      if (!left && mine === latest) replace(list, h('p', { className: 'error', role: 'alert' }, err.message));
    }
  }

  const mayRecord = me.roles.some((role) => PAYMENT_ROLES.includes(role));
  replace(main,
    h('h1', { tabindex: -1 }, 'Finance'),
    h('div', { className: 'columns' },
      h('section', { className: 'card', 'aria-labelledby': 'finance-open-title' },
        h('h2', { id: 'finance-open-title' }, 'Open invoices'),
        h('form', { className: 'filters', 'aria-label': 'Invoices', onsubmit: (e) => { e.preventDefault(); load(); } },
          h('label', { for: 'finance-asof' }, 'Amounts as of'), asOf, h('label', { for: 'finance-customer' }, 'Customer id'), customerId, h('button', { type: 'submit' }, 'Show')),
        aging, list),
      h('div', { className: 'stack' },
        mayRecord ? paymentForm(businessDay(), (payment) => { replace(result, allocationView(payment)); load(); }) : h('p', { className: 'muted' }, 'Payments are recorded by finance and contract administrators.'),
        result)));
  load();
  return () => { left = true; };
}
