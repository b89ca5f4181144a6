// One table shape for the record pages (customer, finance, contract): a caption, header cells, one row per item.
import { h, statusText } from './dom.js';

/**
 * `columns` are [header, cell(item), className?]; a cell may return text or elements. An empty list is a
 * sentence instead of an empty table. On a narrow window the table scrolls inside its box, never the page.
 */
export function dataTable({ id, caption, columns, items, empty, rowKey }) {
  if (items.length === 0) return h('p', { className: 'muted empty', id }, empty);
  return h('div', { className: 'table-box' }, h('table', { id },
    h('caption', { className: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, columns.map(([header, , className]) => h('th', { scope: 'col', className }, header)))),
    h('tbody', {}, items.map((item) => h('tr', { 'data-key': rowKey?.(item) },
      columns.map(([, cell, className]) => h('td', { className }, cell(item))))))));
}

/** A link to a record's page in the console, e.g. link('orders', 'SO-2026-000045'). */
export const recordLink = (kind, id) => (id ? h('a', { href: `#/${kind}/${encodeURIComponent(id)}` }, id) : '—');

/** Where a linked record opens: orders and contracts have pages, invoices are shown on the Finance page. */
export const relatedLink = ({ type, id }) => (type === 'invoice' ? h('a', { href: '#/finance' }, id) : recordLink(`${type}s`, id));

/** The tickets that name a record (`linkedTickets` of an order, contract or the customer overview), newest first. */
export function linkedTickets(items, id) {
  return dataTable({
    id, caption: 'Tickets naming this record', items, rowKey: (t) => t.id, empty: 'No ticket names it.',
    columns: [['Ticket', (t) => recordLink('tickets', t.id)], ['Subject', (t) => t.subject], ['Status', (t) => statusText(t.status)], ['About', (t) => relatedLink(t.relatedTo)]],
  });
}

const AGING_WORDS = { '0-30': '0–30 days', '31-60': '31–60 days', '61-90': '61–90 days', '>90': 'over 90 days' };

/** Receivables by days overdue (the `buckets` of the receivables report and of a customer's overview). */
export const agingTable = (id, buckets) => dataTable({
  id, caption: 'Receivables aging by days overdue', items: Object.entries(buckets), rowKey: ([bucket]) => bucket, empty: '',
  columns: [['Overdue', ([bucket]) => AGING_WORDS[bucket] ?? bucket], ['Invoices', ([, b]) => String(b.invoices), 'num'], ['Outstanding', ([, b]) => b.outstanding, 'num'],
    ['Late fees', ([, b]) => b.lateFees, 'num'], ['Total', ([, b]) => b.total, 'num']],
});
