// A new order (#/orders/new?customer=<id>): customer, lines, payment terms, a contract to call off, and where
// to deliver, sent once (Idempotency-Key); the order page opens when the API has taken and priced it.
import { api, newIdempotencyKey } from './api.js';
import { chosenCustomer } from './customer-picker.js';
import { announce, field, h, replace, words } from './dom.js';
import { recordForm } from './forms.js';
import { skuLines } from './lines.js';
import { PAYMENT_TERMS } from './vocab.js';

/** The customer's active contracts to call off; none chosen is an ordinary order. */
async function loadContracts(select, customerId) {
  replace(select, h('option', { value: '' }, 'none (not a call-off)'));
  if (!customerId) return;
  const page = await api('/contracts', { query: { customerId, status: 'active', limit: 50 } }).catch(() => ({ items: [] }));
  select.append(...page.items.map((c) => h('option', { value: c.id }, `${c.id} · ${c.type} · valid to ${c.validTo.slice(0, 10)}`)));
}

export function newOrderView({ main }, params) {
  let idempotencyKey = newIdempotencyKey();
  const total = h('p', { id: 'new-order-total', 'aria-live': 'polite' });
  const lines = skuLines({ id: 'new-order-lines', legend: 'Lines', value: { name: 'qty', label: 'Quantity', attrs: { type: 'number', min: 1, max: 1000000, step: 1 } }, total });
  const contract = h('select', { id: 'new-order-contract', name: 'contractId' });
  const form = recordForm({
    id: 'new-order', className: 'card', title: 'Order', submit: 'Place order',
    fields: [
      chosenCustomer(params, 'new-order-customer-q'),
      lines.element,
      total,
      h('div', { className: 'row' },
        field('new-order-terms', 'Payment terms', h('select', { id: 'new-order-terms', name: 'paymentTerms' }, PAYMENT_TERMS.map((t) => h('option', { value: t }, words(t))))),
        field('new-order-contract', 'Call off a contract', contract)),
      field('new-order-address', 'Delivery address (goods)', h('textarea', { id: 'new-order-address', name: 'deliveryAddress', rows: 3, maxlength: 1000 })),
    ],
    send: async (_values, data) => {
      const address = data.get('deliveryAddress').trim();
      const order = await api('/orders', {
        method: 'POST', headers: { 'idempotency-key': idempotencyKey },
        body: {
          customerId: data.get('customerId'),
          lines: lines.rows().map((line) => ({ sku: line.sku, qty: Number(line.qty) })),
          paymentTerms: data.get('paymentTerms'),
          ...(data.get('contractId') ? { contractId: data.get('contractId') } : {}),
          ...(address ? { deliveryAddress: address } : {}),
        },
      });
      idempotencyKey = newIdempotencyKey();
      announce(`Placed order ${order.id}.`);
      location.hash = `#/orders/${encodeURIComponent(order.id)}`;
    },
  });
  // A customer chosen by search brings their contracts to call off.
  form.addEventListener('change', (e) => { if (e.target.name === 'customerId') loadContracts(contract, e.target.value); });
  replace(main, h('h1', { tabindex: -1 }, 'New order'), form);
  loadContracts(contract, params.get('customer'));
  return () => {};
}
