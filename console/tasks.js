// My tasks: the signed-in user's open tasks across tickets, orders and contracts (GET /tasks), nearest
// due date first, each opening its process's page, where the buttons are the process's own.
import { api } from './api.js';
import { countdown, formatTime, h, poll, replace, words } from './dom.js';
import { redraw } from './list.js';
import { TASK_LABELS } from './vocab.js';

const REFRESH_MS = 10_000;
const COLUMNS = ['Due', 'Task', 'Process', 'Completed by', 'Waiting since'];
const PAGES = { ticket: 'tickets', order: 'orders', contract: 'contracts' };

/** The console page of a process: `#/orders/SO-2026-000045`. */
export const processHref = (type, id) => `#/${PAGES[type]}/${encodeURIComponent(id)}`;

function taskRow(task) {
  const { type, id, summary } = task.process;
  return h('tr', { 'data-row': `${task.kind}:${id}`, 'data-task': task.kind, 'data-process': id },
    h('td', {}, task.dueAt ? countdown(task.dueAt) : h('span', { className: 'muted' }, 'no clock')),
    h('td', {}, TASK_LABELS[task.kind] ?? words(task.kind)),
    h('td', {}, h('a', { href: processHref(type, id) }, summary)),
    h('td', {}, task.actions.map(words).join(', ')),
    h('td', {}, formatTime(task.createdAt)));
}

/** The tasks as a table, the nearest due first as the API orders them; a row's link opens the process's page. */
export function taskTable(caption, tasks, empty) {
  if (tasks.length === 0) return h('p', { className: 'muted empty' }, empty);
  return h('div', { className: 'table-box' }, h('table', { className: 'tasks' },
    h('caption', { className: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, tasks.map(taskRow))));
}

export function tasksView({ main }) {
  const filters = { kind: '' };
  const results = h('div', { 'aria-live': 'off' });
  const more = h('p', { className: 'muted' });
  const updated = h('span', { className: 'muted' });
  const error = h('p', { className: 'error', role: 'alert' });
  const kind = h('select', { id: 'task-kind', onchange: (e) => { filters.kind = e.target.value; load(); } },
    h('option', { value: '' }, 'any'), Object.entries(TASK_LABELS).map(([value, text]) => h('option', { value }, text)));

  let latest = 0;
  async function load() {
    const mine = ++latest;
    try {
      const page = await api('/tasks', { query: { ...filters, limit: 200 } });
      if (mine !== latest) return;
      redraw(results, [filters, page.items], () => taskTable('My tasks, nearest due date first', page.items, filters.kind ? 'No open tasks of this kind.' : 'Nothing waits for you.'));
      // Which filter the list on screen answers (a filter change may overtake a poll; tests wait for it).
      results.dataset.kind = filters.kind;
      more.textContent = page.nextCursor ? 'The 200 nearest are shown; finish some or filter by kind to see the rest.' : '';
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      error.textContent = '';
    } catch (err) {
      if (mine === latest) error.textContent = `Could not load your tasks: ${err.message}`;
    }
  }

  replace(main,
    h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'My tasks'), updated),
    h('form', { className: 'filters', onsubmit: (e) => { e.preventDefault(); load(); } },
      h('label', { for: 'task-kind' }, 'Kind'), kind, h('button', { type: 'submit' }, 'Refresh')),
    error, results, more);
  return poll(load, REFRESH_MS);
}
