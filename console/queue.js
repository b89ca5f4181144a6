// The L2/L3 queue: a tier's open tickets, nearest deadline first, refreshed every few seconds.
import { api } from './api.js';
import { h, poll, replace, statusText } from './dom.js';
import { redraw, ticketTable } from './list.js';
import { PRIORITIES, QUEUE_STATES } from './vocab.js';

const REFRESH_MS = 10_000;

function tiersOf(roles) {
  if (roles.includes('supervisor')) return ['L2', 'L3'];
  return [roles.includes('support_l2') && 'L2', roles.includes('support_l3') && 'L3'].filter(Boolean);
}

function select(id, label, options, onchange) {
  const el = h('select', { id, onchange }, options.map(([value, text]) => h('option', { value }, text)));
  return [h('label', { for: id }, label), el];
}

export function queueView({ me, main }) {
  const tiers = tiersOf(me.roles);
  const filters = { tier: tiers[0], status: '', priority: '' };
  const results = h('div', { 'aria-live': 'off' });
  const updated = h('span', { className: 'muted' });
  const error = h('p', { className: 'error', role: 'alert' });

  const [tierLabel, tierSelect] = select('queue-tier', 'Tier', tiers.map((t) => [t, t]), (e) => { filters.tier = e.target.value; filters.status = ''; statusSelect.value = ''; fillStatuses(); load(); });
  const [statusLabel, statusSelect] = select('queue-status', 'Status', [], (e) => { filters.status = e.target.value; load(); });
  const [priorityLabel, prioritySelect] = select('queue-priority', 'Priority', [['', 'any'], ...PRIORITIES.map((p) => [p, p])], (e) => { filters.priority = e.target.value; load(); });

  function fillStatuses() {
    replace(statusSelect, h('option', { value: '' }, 'any open'), QUEUE_STATES[filters.tier].map((s) => h('option', { value: s }, statusText(s))));
  }

  // A filter change may overtake a poll in flight; only the newest answer is drawn.
  let latest = 0;
  async function load() {
    const mine = ++latest;
    try {
      const page = await api('/tickets/queue', { query: { ...filters, limit: 200 } });
      if (mine !== latest) return;
      redraw(results, [filters, page.items], () => ticketTable(`${filters.tier} queue, nearest deadline first`, page.items, me, `No open ${filters.tier} tickets match these filters.`));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      error.textContent = '';
    } catch (err) {
      if (mine === latest) error.textContent = `Could not load the queue: ${err.message}`;
    }
  }

  fillStatuses();
  replace(main,
    h('div', { className: 'title-row' }, h('h1', { tabindex: -1 }, 'Queue'), updated),
    h('form', { className: 'filters', onsubmit: (e) => { e.preventDefault(); load(); } },
      tiers.length > 1 ? [tierLabel, tierSelect] : h('span', { className: 'badge' }, filters.tier),
      statusLabel, statusSelect, priorityLabel, prioritySelect,
      h('button', { type: 'submit' }, 'Refresh')),
    error, results);
  return poll(load, REFRESH_MS);
}
