// Customer search by name: the front line's complaint form and the Finance page pick a customer with it
// (radio buttons named customerId), the Customers page lists links to each cockpit.
import { api, customer as customerOf } from './api.js';
import { field, h, replace } from './dom.js';

const details = (c) => h('span', { className: 'muted' }, `${c.id} · ${c.tier}${c.region ? ` · ${c.region}` : ''}`);

/** The search box and its results; `render(customer, index, all)` draws one match. */
export function customerSearch({ id = 'customer-q', label = 'Customer', render }) {
  const query = h('input', { id, type: 'search', placeholder: 'name contains…', autocomplete: 'off' });
  const results = h('fieldset', { className: 'customer-results', id: `${id}-results` }, h('legend', {}, 'Matching customers'), h('p', { className: 'muted' }, 'Search by name.'));
  let latest = 0;
  async function search() {
    const q = query.value.trim();
    if (!q) return;
    const mine = ++latest;
    try {
      const page = await api('/customers', { query: { q, limit: 10 } });
      if (mine !== latest) return;
      replace(results, h('legend', {}, `Matching customers (${page.items.length})`), page.items.length === 0
        ? h('p', { className: 'muted' }, `No customer's name contains "${q}".`)
        : page.items.map((c, i) => render(c, i, page.items)));
    } catch (err) {
      replace(results, h('legend', {}, 'Matching customers'), h('p', { className: 'error', role: 'alert' }, err.message));
    }
  }
  let timer;
  query.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 300); });
  // Enter in the search box searches instead of submitting the form around it.
  query.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); search(); } });
  return [field(id, label, h('div', { className: 'inline' }, query, h('button', { type: 'button', onclick: search }, 'Search'))), results];
}

/** For a form: the matches as radio buttons named customerId (a single match is chosen at once). */
export const customerPicker = (options = {}) => customerSearch({
  ...options,
  render: (c, i, all) => h('label', { className: 'choice' },
    h('input', { type: 'radio', name: 'customerId', value: c.id, required: true, checked: all.length === 1 && i === 0 }), ` ${c.name} `, details(c)),
});

/** For browsing: the matches as links to their cockpits. */
export const customerLinks = (options = {}) => customerSearch({
  ...options,
  render: (c) => h('p', { className: 'choice' }, h('a', { href: `#/customers/${encodeURIComponent(c.id)}` }, c.name), ' ', details(c)),
});

/** The customer: the one the link named, or a search. Each answer is a radio button named customerId. */
export function chosenCustomer(params, id) {
  const fixed = params.get('customer');
  if (!fixed) return customerPicker({ id });
  const box = h('fieldset', { className: 'customer-results', id: `${id}-results` }, h('legend', {}, 'Customer'),
    h('label', { className: 'choice' }, h('input', { type: 'radio', name: 'customerId', value: fixed, checked: true, required: true }), ` ${fixed}`));
  customerOf(fixed).then((c) => { if (c) box.querySelector('label').append(` · ${c.name}`); });
  return box;
}
