// One ticket table for the queue and the front-line lists: the same columns read the same everywhere;
// and the redraw every polled list uses.
import { customer } from './api.js';
import { badge, countdown, h, replace, statusText } from './dom.js';

const COLUMNS = ['Ticket', 'Subject', 'Customer', 'Priority', 'Status', 'Assignee', 'Next deadline', 'Flags'];

export function flags(t) {
  return [
    t.breached && badge('SLA breached', 'danger'),
    t.customerTier === 'vip' && badge('VIP', 'vip'),
    t.supervisorAttention && badge('supervisor attention', 'warn'),
  ];
}

function row(t, me) {
  const name = h('td', {}, t.customerId);
  customer(t.customerId).then((c) => { if (c) name.textContent = c.name; });
  return h('tr', { className: t.breached ? 'breached' : '', 'data-ticket': t.id, 'data-row': t.id },
    h('td', {}, h('a', { href: `#/tickets/${encodeURIComponent(t.id)}` }, t.id)),
    h('td', {}, t.subject),
    name,
    h('td', {}, badge(t.priority, `priority-${t.priority}`)),
    h('td', {}, statusText(t.status)),
    h('td', {}, t.assigneeId === me.id ? 'you' : (t.assigneeName ?? t.assigneeId ?? '—')),
    h('td', {}, countdown(t.nextDueAt)),
    h('td', {}, flags(t)));
}

export function ticketTable(caption, rows, me, empty) {
  if (rows.length === 0) return h('p', { className: 'muted empty' }, empty);
  // On a narrow window the table scrolls inside its box, never the page.
  return h('div', { className: 'table-box' }, h('table', {},
    h('caption', { className: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((t) => row(t, me)))));
}

const drawn = new WeakMap();
/**
 * Puts a fresh list into `container` only when its data changed (the countdowns tick on their own),
 * and keeps keyboard focus on the same row's link (rows name themselves in `data-row`) across the redraw.
 */
export function redraw(container, data, build) {
  const key = JSON.stringify(data);
  if (drawn.get(container) === key) return;
  drawn.set(container, key);
  const focused = container.contains(document.activeElement) ? document.activeElement.closest('tr')?.dataset.row : null;
  replace(container, build());
  if (focused) container.querySelector(`tr[data-row="${CSS.escape(focused)}"] a`)?.focus();
}
