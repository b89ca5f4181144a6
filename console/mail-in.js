// Mail in (#/mail-in, agent and supervisor): the mail the e-mail channel could not place (an unknown sender, a
// closed ticket, a mail loop) waits in quarantine until a person opens a ticket from it for the customer they
// name, or discards it with a reason (README "E-mail in"). Nothing is dropped unseen; the settled mail stays
// listed under its status, with the ticket it became.
import { api } from './api.js';
import { announce, formatTime, h, pairs, replace, words } from './dom.js';
import { customerPicker } from './customer-picker.js';
import { input, recordForm, select } from './forms.js';
import { recordLink } from './table.js';
import { CATEGORIES, PRIORITIES } from './vocab.js';

const STATUSES = ['quarantined', 'processed', 'discarded', 'received'];
const PAGE_SIZE = 20;
const options = (values) => values.map((v) => [v, words(v)]);

function ticketForm(message, settled) {
  const id = `mail-in-ticket-${message.id}`;
  return recordForm({
    id, title: 'Open a ticket from it', submit: 'Open ticket', nested: true,
    fields: [
      customerPicker({ id: `${id}-customer` }),
      h('div', { className: 'row' },
        select(`${id}-category`, 'Category', options(CATEGORIES), { name: 'category' }),
        select(`${id}-priority`, 'Priority', options(PRIORITIES), { name: 'priority' })),
      input(`${id}-subject`, 'Subject', { name: 'subject', value: (message.subject || '(no subject)').slice(0, 200), required: true, maxlength: 200 }),
    ],
    send: ({ customerId, category, priority, subject }) => api(`/inbound/${message.id}/ticket`, { method: 'POST', body: { customerId, category, priority, subject: subject.trim() } }),
    done: ({ ticket }) => settled(`Mail ${message.id} became ticket ${ticket.id}.`),
  });
}

function discardForm(message, settled) {
  const id = `mail-in-discard-${message.id}`;
  return recordForm({
    id, title: 'Discard it', submit: 'Discard', nested: true,
    fields: input(`${id}-reason`, 'Reason', { name: 'reason', required: true, maxlength: 500, placeholder: 'newsletter, not for support' }),
    send: ({ reason }) => api(`/inbound/${message.id}/discard`, { method: 'POST', body: { reason: reason.trim() } }),
    done: () => settled(`Mail ${message.id} discarded.`),
  });
}

function entry(message, settled) {
  return h('li', { className: 'card', 'data-inbound': message.id, 'data-status': message.status },
    h('h2', {}, message.subject || '(no subject)'),
    pairs([
      ['From', message.fromName ? `${message.fromName} <${message.from}>` : message.from],
      ['Received', formatTime(message.receivedAt)],
      ['Status', words(message.status)],
      message.reason && ['Why', message.reason],
      message.ticketId && ['Ticket', recordLink('tickets', message.ticketId)],
      message.customerId && ['Customer', recordLink('customers', message.customerId)],
    ]),
    h('p', { className: 'prose' }, message.text || '(empty message)'),
    message.status === 'quarantined' && h('div', { className: 'columns' }, ticketForm(message, settled), discardForm(message, settled)));
}

export function mailInView({ main }, params) {
  const status = params.get('status') ?? 'quarantined';
  const list = h('ol', { className: 'plain', id: 'mail-in-list' });
  const footer = h('div', { 'aria-live': 'polite' });
  let left = false;

  async function load(cursor) {
    try {
      const page = await api('/inbound', { query: { status, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } });
      if (left) return;
      if (!cursor) replace(list);
      list.append(...page.items.map((message) => entry(message, settled)));
      replace(footer, list.children.length === 0 && h('p', { className: 'muted empty' }, `No ${words(status)} mail.`),
        page.nextCursor && h('button', { type: 'button', onclick: (e) => { e.target.disabled = true; load(page.nextCursor); } }, 'Show more'));
    } catch (err) {
      if (!left) replace(footer, h('p', { className: 'error', role: 'alert' }, err.message));
    }
  }
  function settled(text) {
    announce(text);
    load(null);
  }

  const filter = select('mail-in-status', 'Status', options(STATUSES), { name: 'status' });
  filter.querySelector('select').value = status;
  filter.querySelector('select').addEventListener('change', (e) => { location.hash = `#/mail-in?status=${e.target.value}`; });
  replace(main, h('h1', { tabindex: -1 }, 'Mail in'),
    h('p', { className: 'muted' }, 'Mail the e-mail channel could not place waits here: open a ticket from it for the customer it is from, or discard it.'),
    h('div', { className: 'filters' }, filter), list, footer);
  load(null);
  return () => { left = true; };
}
