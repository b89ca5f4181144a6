// Search (#/search/<kind>?<filters>): tickets, orders and contracts found by the API's own list filters, a page
// at a time. The filters live in the hash, so a list can be linked to (the dashboard does) and reloaded; the
// rows link to each record's page. Tickets take full-text words (`q`), as GET /tickets does.
import { api } from './api.js';
import { badge, countdown, field, formatTime, h, replace, statusText, words } from './dom.js';
import { flags } from './list.js';
import { dataTable, recordLink } from './table.js';
import { CONTRACT_STATES, CONTRACT_TYPES, ORDER_STATES, PAYMENT_TERMS, PRIORITIES, STATUS_LABELS, TIERS } from './vocab.js';

const PAGE_SIZE = 50;

const choice = (values, label = words) => values.map((value) => [value, label(value)]);
const text = (placeholder) => ({ placeholder });

/** Each kind's filters ([query name, label, choices or text box]) and columns, as its list route takes and answers them. */
const KINDS = {
  tickets: {
    title: 'Tickets',
    filters: [
      ['q', 'Words', text('line down -billing')], ['status', 'Status', choice(Object.keys(STATUS_LABELS), statusText)],
      ['tier', 'Tier', choice(TIERS, String)], ['priority', 'Priority', choice(PRIORITIES)],
      ['breached', 'SLA', [['true', 'breached'], ['false', 'not breached']]], ['customerId', 'Customer', text('CUS-000001')],
    ],
    columns: [
      ['Ticket', (t) => recordLink('tickets', t.id)], ['Subject', (t) => t.subject], ['Customer', (t) => recordLink('customers', t.customerId)],
      ['Priority', (t) => badge(t.priority, `priority-${t.priority}`)], ['Status', (t) => statusText(t.status)],
      ['Assignee', (t) => t.assigneeName ?? t.assigneeId ?? '—'], ['Next deadline', (t) => countdown(t.nextDueAt)], ['Flags', flags],
    ],
  },
  orders: {
    title: 'Orders',
    filters: [['status', 'Status', choice(ORDER_STATES)], ['paymentTerms', 'Payment terms', choice(PAYMENT_TERMS)], ['customerId', 'Customer', text('CUS-000001')]],
    columns: [
      ['Order', (o) => recordLink('orders', o.id)], ['Customer', (o) => recordLink('customers', o.customerId)], ['Status', (o) => words(o.status)],
      ['Terms', (o) => words(o.paymentTerms)], ['Total', (o) => o.total ?? '—', 'num'], ['Contract', (o) => recordLink('contracts', o.contractId)],
      ['Placed', (o) => formatTime(o.createdAt)],
    ],
  },
  contracts: {
    title: 'Contracts',
    filters: [['status', 'Status', choice(CONTRACT_STATES)], ['type', 'Type', choice(CONTRACT_TYPES)], ['customerId', 'Customer', text('CUS-000001')]],
    columns: [
      ['Contract', (c) => recordLink('contracts', c.id)], ['Customer', (c) => recordLink('customers', c.customerId)], ['Status', (c) => words(c.status)],
      ['Type', (c) => c.type], ['Target value', (c) => c.targetValue, 'num'], ['Valid', (c) => `${c.validFrom} – ${c.validTo}`],
      ['Awaiting', (c) => (c.awaiting ? words(c.awaiting) : '—')],
    ],
  },
};

const SEARCH_KINDS = Object.keys(KINDS);

function filterControl([name, label, options], value) {
  const id = `search-${name}`;
  const control = Array.isArray(options)
    ? h('select', { id, name }, h('option', { value: '' }, 'any'), options.map(([v, shown]) => h('option', { value: v, selected: v === value }, shown)))
    : h('input', { id, name, type: name === 'q' ? 'search' : 'text', value: value ?? '', placeholder: options.placeholder, size: name === 'q' ? 28 : 14 });
  return field(id, label, control);
}

export function searchView({ main }, kind, params) {
  const spec = KINDS[kind];
  let left = false;
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' }, h('p', { className: 'muted' }, 'Loading…'));
  const tabs = h('nav', { className: 'tabs', 'aria-label': 'What to search' }, SEARCH_KINDS.map((k) =>
    h('a', { href: `#/search/${k}`, 'aria-current': k === kind ? 'page' : undefined }, KINDS[k].title)));
  const form = h('form', {
    className: 'card filters', 'aria-label': `Filter ${spec.title.toLowerCase()}`,
    onsubmit: (event) => {
      event.preventDefault();
      const query = new URLSearchParams([...new FormData(form)].filter(([, v]) => String(v).trim() !== '').map(([k, v]) => [k, String(v).trim()]));
      location.hash = `#/search/${kind}${query.size ? `?${query}` : ''}`;
    },
  }, spec.filters.map((filter) => filterControl(filter, params.get(filter[0]))), h('button', { type: 'submit' }, 'Search'));

  const query = Object.fromEntries(spec.filters.map(([name]) => [name, params.get(name)]).filter(([, v]) => v));
  const items = [];
  async function more(cursor) {
    try {
      const page = await api(`/${kind}`, { query: { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } });
      if (left) return;
      items.push(...page.items);
      replace(results,
        dataTable({ id: 'search-table', caption: `${spec.title} matching the filters`, columns: spec.columns, items, rowKey: (item) => item.id, empty: `No ${spec.title.toLowerCase()} match.` }),
        h('p', { className: 'muted', id: 'search-count' }, `${items.length} shown${page.nextCursor ? ', more match' : ''}.`),
        page.nextCursor && h('button', { type: 'button', onclick: (e) => { e.target.disabled = true; more(page.nextCursor); } }, 'Show more'));
    } catch (err) {
      if (!left) replace(results, h('p', { className: 'error', role: 'alert' }, err.message));
    }
  }
  replace(main, h('h1', { tabindex: -1 }, `Search ${spec.title.toLowerCase()}`), tabs, form, results);
  more(null);
  return () => { left = true; };
}
