// The audit log (admin, manager; #/audit?actor=&resource=&action=): every change by a person, newest first,
// filtered as GET /audit filters, a page at a time ("Older entries" follows the API's cursor).
import { api } from './api.js';
import { field, formatTime, h, replace } from './dom.js';

/** What the action carried (changed fields, a key id, a reason), as the API sent it. */
const detail = (value) => (value === null || value === undefined ? '—' : h('pre', { className: 'detail' }, JSON.stringify(value, null, 1)));
const resource = (e) => (e.resourceId ? `${e.resourceType} ${e.resourceId}` : e.resourceType);

const row = (e) => h('tr', { 'data-entry': e.id },
  h('td', {}, h('time', { datetime: e.at }, formatTime(e.at))),
  h('td', {}, e.actorName, e.actorName !== e.actorId && h('span', { className: 'muted' }, ` (${e.actorId})`)),
  h('td', {}, e.action), h('td', {}, resource(e)), h('td', {}, detail(e.detail)));

export function auditView({ main }, params) {
  const input = (name, label, placeholder) => field(`audit-${name}`, label, h('input', { id: `audit-${name}`, name, placeholder, value: params.get(name) ?? '' }));
  const rows = h('tbody');
  const table = h('div', { className: 'table-box' }, h('table', { id: 'audit' },
    h('caption', { className: 'sr-only' }, 'Audit log, newest first'),
    h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Resource', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))), rows));
  const status = h('p', { id: 'audit-status', 'aria-live': 'polite' });
  const error = h('p', { className: 'error', role: 'alert' });
  const older = h('button', { type: 'button', hidden: true }, 'Older entries');
  let query = {};
  let cursor = null;
  let left = false;

  async function load(more) {
    error.textContent = '';
    try {
      const page = await api('/audit', { query: { ...query, limit: 50, cursor: more ? cursor : undefined } });
      if (left) return;
      if (!more) replace(rows);
      rows.append(...page.items.map(row));
      cursor = page.nextCursor;
      older.hidden = !cursor;
      status.textContent = rows.children.length === 0 ? 'No entries match.' : `${rows.children.length} entr${rows.children.length === 1 ? 'y' : 'ies'} shown${cursor ? '; older ones follow' : ''}.`;
      table.hidden = rows.children.length === 0;
    } catch (err) {
      if (!left) error.textContent = err.message;
    }
  }
  older.addEventListener('click', () => load(true));
  const filters = () => Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, v.trim()]));

  const form = h('form', {
    className: 'filters', 'aria-label': 'Audit log filters',
    onsubmit: (e) => {
      e.preventDefault();
      query = filters();
      load(false);
    },
  },
  input('actor', 'Actor (user id)', 'U-000001'), input('resource', 'Resource', 'user or user:U-000042'), input('action', 'Action', 'user.update'),
  h('button', { type: 'submit' }, 'Show'));

  replace(main, h('h1', { tabindex: -1 }, 'Audit log'), form, error, status, table, h('div', { className: 'buttons' }, older));
  query = filters();
  load(false);
  return () => { left = true; };
}
