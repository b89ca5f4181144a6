// A customer's own prices on the cockpit (GET /customers/:id/prices), and for the roles PUT admits, setting one:
// it wins over the list price on this customer's orders (a contract price still wins over it, SPEC §3).
import { api } from './api.js';
import { announce, formatTime, h, replace } from './dom.js';
import { MONEY, input, recordForm } from './forms.js';
import { PRICE_ROLES, hasRole } from './roles.js';
import { dataTable, recordLink } from './table.js';

const base = (customerId) => `/customers/${encodeURIComponent(customerId)}/prices`;

function priceTable(items) {
  return dataTable({
    id: 'customer-prices-table', caption: "This customer's prices", items, rowKey: (p) => p.sku, empty: 'No customer prices: the list prices apply.',
    columns: [['SKU', (p) => recordLink('products', p.sku)], ['Unit price', (p) => p.unitPrice, 'num'], ['Set', (p) => formatTime(p.updatedAt)]],
  });
}

function priceForm(customerId, onSet) {
  return recordForm({
    id: 'customer-price-new', title: 'Set a customer price', submit: 'Set price', nested: true,
    fields: h('div', { className: 'row' },
      input('customer-price-sku', 'SKU', { required: true, maxlength: 64, autocomplete: 'off' }),
      input('customer-price-amount', 'Unit price', { required: true, ...MONEY, placeholder: '8.50' })),
    send: (v) => api(`${base(customerId)}/${encodeURIComponent(v['customer-price-sku'].trim())}`, { method: 'PUT', body: { unitPrice: v['customer-price-amount'].trim() } }),
    done: (price, form) => {
      announce(`${price.sku} now costs ${price.unitPrice} for this customer.`);
      form.reset();
      onSet();
    },
  });
}

/** The cockpit's "Prices" card; it loads on its own, so the overview is not held up by it. */
export function customerPrices(customerId, me) {
  const list = h('div', { 'aria-live': 'polite' }, h('p', { className: 'muted' }, 'Loading…'));
  const load = () => api(base(customerId)).then((items) => replace(list, priceTable(items)),
    (err) => replace(list, h('p', { className: 'error', role: 'alert' }, err.message)));
  load();
  return h('section', { className: 'card', id: 'cockpit-prices', 'aria-labelledby': 'cockpit-prices-title' },
    h('h2', { id: 'cockpit-prices-title' }, 'Prices'), list, hasRole(me, PRICE_ROLES) && priceForm(customerId, load));
}
