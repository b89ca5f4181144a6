// The front line: register a complaint, and the tickets waiting on L1 (new ones to resolve or escalate,
// customer replies to record, resolutions awaiting the customer's confirmation or rejection), and the
// tickets this agent escalated, to follow them up when the customer calls again.
import { api, newIdempotencyKey } from './api.js';
import { customerPicker } from './customer-picker.js';
import { announce, choices, field, h, poll, replace } from './dom.js';
import { suggestionBox } from './knowledge.js';
import { redraw, ticketTable } from './list.js';
import { CONTRACT_DRAFT_ROLES, hasRole } from './roles.js';
import { CATEGORIES, CHANNELS, PRIORITIES } from './vocab.js';

const REFRESH_MS = 15_000;

function intakeForm() {
  // One key per complaint being written: a double click or a retried request registers it once.
  let idempotencyKey = newIdempotencyKey();
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, 'Register complaint');
  // While the agent writes, the published articles that best match what the customer reports.
  const subject = h('input', { id: 'intake-subject', name: 'subject', required: true, maxlength: 200 });
  const description = h('textarea', { id: 'intake-description', name: 'description', required: true, rows: 4 });
  const suggestions = suggestionBox();
  const suggest = () => suggestions.update(`${subject.value} ${description.value}`);
  subject.addEventListener('input', suggest);
  description.addEventListener('input', suggest);
  const form = h('form', {
    className: 'card intake', 'aria-labelledby': 'intake-title',
    onsubmit: async (e) => {
      e.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      send.disabled = true;
      error.textContent = '';
      try {
        const ticket = await api('/tickets', { method: 'POST', body: data, headers: { 'idempotency-key': idempotencyKey } });
        idempotencyKey = newIdempotencyKey();
        announce(`Registered ticket ${ticket.id}.`);
        location.hash = `#/tickets/${encodeURIComponent(ticket.id)}`;
      } catch (err) {
        error.textContent = err.message;
      } finally {
        send.disabled = false;
      }
    },
  },
  h('h2', { id: 'intake-title' }, 'Register a complaint'),
  customerPicker(),
  h('div', { className: 'row' },
    field('intake-channel', 'Channel', choices('intake-channel', 'channel', CHANNELS, 'phone')),
    field('intake-category', 'Category', choices('intake-category', 'category', CATEGORIES, 'fault')),
    field('intake-priority', 'Priority', choices('intake-priority', 'priority', PRIORITIES, 'normal'))),
  field('intake-subject', 'Subject', subject),
  field('intake-description', 'What the customer reports', description),
  suggestions.box,
  h('div', { className: 'buttons' }, send), error);
  return form;
}

const LISTS = [
  ['New at L1: resolve or escalate', { tier: 'L1', status: 'new' }, 'No new complaints waiting.'],
  ["Waiting for the customer's reply", { status: 'pending_customer' }, 'No ticket is waiting for a customer.'],
  ['Resolved: awaiting the customer’s confirmation', { status: 'resolved' }, 'No resolution awaits confirmation.'],
  ['My escalations', { escalatedBy: 'me' }, 'You have not escalated a ticket yet.'],
];

export function agentView({ me, main }) {
  const lists = h('div', { className: 'stack' });
  const error = h('p', { className: 'error', role: 'alert' });
  let latest = 0;
  async function load() {
    const mine = ++latest;
    try {
      const pages = await Promise.all(LISTS.map(([, query]) => api('/tickets', { query: { ...query, limit: 50 } })));
      if (mine !== latest) return;
      const items = pages.map((page) => page.items);
      redraw(lists, items, () => LISTS.map(([title, , empty], i) => h('section', { className: 'card' }, h('h2', {}, title), ticketTable(title, items[i], me, empty))));
      error.textContent = '';
    } catch (err) {
      if (mine === latest) error.textContent = `Could not load the lists: ${err.message}`;
    }
  }
  replace(main, h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'Front line'),
    h('p', { className: 'buttons starts' }, h('a', { href: '#/orders/new', className: 'button' }, 'New order'), hasRole(me, CONTRACT_DRAFT_ROLES) && h('a', { href: '#/contracts/new', className: 'button' }, 'New contract'))),
  h('div', { className: 'columns front' }, intakeForm(), h('div', { className: 'stack' }, error, lists)));
  return poll(load, REFRESH_MS);
}
