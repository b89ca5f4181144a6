// The manager dashboard (#/dashboard): the existing report endpoints drawn as charts with Chart.js (bundled
// from node_modules, served at /console/vendor/), each chart with a table of its exact numbers, a link to
// the filtered list and a link to the ready Temporal UI filter (README "For managers").
import { api, businessDay, consoleSettings } from './api.js';
import { h, replace, statusText, words } from './dom.js';
import { FINANCE_ROLES } from './roles.js';
import { PRIORITIES, TIERS } from './vocab.js';

let chartLib;
/** Loads Chart.js once, as a script of this origin (the CSP admits nothing else). */
function loadChart() {
  chartLib ??= new Promise((resolve, reject) => {
    if (window.Chart) return resolve(window.Chart);
    const script = h('script', { src: '/console/vendor/chart.umd.min.js' });
    script.addEventListener('load', () => resolve(window.Chart));
    script.addEventListener('error', () => { chartLib = undefined; reject(new Error('The chart library did not load.')); });
    document.head.append(script);
  });
  return chartLib;
}

let settings;
/** The Temporal UI's address and the ready filters. */
const loadSettings = () => consoleSettings().then((value) => { settings = value; });

/** The Temporal UI's workflow list with a ready filter from domain/manager-filters.ts. */
function temporalLink(title, values = {}) {
  const filter = settings?.managerFilters?.find((f) => f.title === title);
  if (!filter) return null;
  const query = filter.query.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const { url, namespace } = settings.temporalUi;
  return h('a', { href: `${url}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`, target: '_blank', rel: 'noopener' },
    `Temporal UI: ${title}`);
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(2)} %`);

/**
 * One chart: a figure with a canvas (role img, its numbers in words as the label), the same numbers as a
 * table, and links. `rows` are [label, ...values]; `series` name the value columns; `plot` picks which
 * columns are drawn (counts and money do not share an axis); `stacked` piles them into one bar per row,
 * `type: 'line'` draws a series over days; `highlight` marks one row's bar (the credit holds).
 */
function chartCard({ id, title, rows, series, plot = [0], note, links, charts, type = 'bar', stacked = false, highlight }) {
  const canvas = h('canvas', { id: `${id}-canvas`, role: 'img', 'aria-label': `${title}: ${rows.map(([label, ...values]) => `${label} ${plot.map((col) => values[col]).join('/')}`).join(', ')}` });
  const table = h('table', { className: 'figures', id: `${id}-table`, 'data-chart': id },
    h('caption', {}, `${title}: figures`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'what'), series.map((s) => h('th', { scope: 'col' }, s)))),
    h('tbody', {}, rows.map(([label, ...values]) => h('tr', { 'data-key': label },
      h('th', { scope: 'row' }, label), values.map((v) => h('td', { className: 'num' }, String(v)))))));
  const card = h('section', { className: 'card chart', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    note && h('p', { className: 'muted' }, note),
    h('div', { className: 'canvas-box' }, canvas),
    // A day per row makes long tables: they fold away behind a disclosure (keyboard: Enter on its summary).
    rows.length > 10 ? h('details', { className: 'figures-box' }, h('summary', {}, `Figures (${rows.length} rows)`), table) : table,
    h('p', { className: 'links' }, links.filter(Boolean).flatMap((link, i) => (i ? [' · ', link] : [link]))));
  const colors = (color) => (highlight === undefined ? color : rows.map(([label]) => (label === highlight ? HIGHLIGHT : color)));
  charts.push(() => new window.Chart(canvas, {
    type,
    data: {
      labels: rows.map(([label]) => label),
      datasets: plot.map((col, i) => ({ label: series[col], data: rows.map((row) => Number(row[col + 1])), backgroundColor: colors(PALETTE[i]), borderColor: PALETTE[i] })),
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: plot.length > 1 } },
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
    },
  }));
  return card;
}

/** Series colours that stay apart in light and dark schemes; the credit-hold bar stands out in red. */
const PALETTE = ['#1f5fbf', '#e08a00', '#2e9d57', '#8a4fc9'];
const HIGHLIGHT = '#c62828';
const shortDay = (day) => day.slice(5);

export function dashboardView({ me, main }) {
  // The queue view is for the support tiers (a supervisor); every reader can open the lists (Search).
  // A function: a link element can sit in one place only, and two charts link to the queue.
  const queue = () => me.roles.some((role) => ['support_l2', 'support_l3', 'supervisor'].includes(role)) && h('a', { href: '#/queue' }, 'Queue');
  const finance = (asOf) => me.roles.some((role) => FINANCE_ROLES.includes(role)) && h('a', { href: `#/finance?asOf=${asOf}`, className: 'list-link' }, 'open invoices (Finance)');
  /** The records behind a chart on the Search page, filtered as the API's list takes them (`/orders?status=…`). */
  const list = (path, text) => h('a', { href: `#/search${path}`, className: 'list-link' }, text);
  const from = h('input', { id: 'dash-from', type: 'date', value: businessDay(Date.now(), -29), required: true });
  const to = h('input', { id: 'dash-to', type: 'date', value: businessDay(), required: true });
  const status = h('p', { id: 'dash-status', role: 'status', className: 'muted' }, 'Loading…');
  const grid = h('div', { className: 'charts' });
  let drawn = [];
  let left = false;
  let generation = 0;

  const destroy = () => { for (const chart of drawn) chart.destroy(); drawn = []; };

  async function load() {
    const mine = ++generation;
    const range = { from: from.value, to: to.value };
    status.textContent = 'Loading…';
    try {
      const [, , tickets, daily, orders, contracts, receivables] = await Promise.all([
        loadChart(), loadSettings(),
        api('/reports/tickets', { query: range }), api('/reports/tickets/daily', { query: range }), api('/reports/orders', { query: range }),
        // Receivables are the invoices open now; the To day is the day their overdue days and late fees are counted to.
        api('/reports/contracts', { query: range }), api('/reports/receivables', { query: { ...range, asOf: range.to } }),
      ]);
      if (left || mine !== generation) return;
      const charts = [];
      const in30Days = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const breaches = daily.breaches.reduce((sum, d) => sum + d.total, 0);
      destroy();
      replace(grid,
        chartCard({
          id: 'tickets-status', title: 'Tickets by status', charts, series: ['tickets'],
          note: `${plural(tickets.total, 'ticket')} created in the range; SLA breach rate ${percent(tickets.slaBreachRate)}.`,
          rows: Object.entries(tickets.byStatus).map(([k, v]) => [statusText(k), v]),
          links: [queue(), list('/tickets?status=escalated_l2', 'waiting at L2'), list('/tickets?breached=true', 'SLA breached'), temporalLink('the L2 queue: tickets waiting to be claimed')],
        }),
        chartCard({
          id: 'tickets-tier', title: 'Tickets by tier', charts, series: ['tickets'],
          note: `Escalation L1→L2 ${percent(tickets.escalationRates.l1ToL2)}, L2→L3 ${percent(tickets.escalationRates.l2ToL3)}.`,
          rows: Object.entries(tickets.byTier).map(([k, v]) => [k, v]),
          links: [list('/tickets?tier=L2', 'tickets at L2'), list('/tickets?tier=L3', 'tickets at L3'), temporalLink('breached tickets at L2'), temporalLink('urgent VIP tickets still open')],
        }),
        chartCard({
          id: 'breaches-tier', title: 'SLA breaches per day by tier', charts, series: TIERS, plot: [0, 1, 2], stacked: true,
          note: `${plural(breaches, 'breach', 'breaches')} in the range, by the tier the ticket was at when its clock ran out.`,
          rows: daily.breaches.map((d) => [shortDay(d.day), ...TIERS.map((tier) => d.byTier[tier])]),
          links: [list('/tickets?breached=true', 'SLA breached'), temporalLink('breached tickets at L2')],
        }),
        chartCard({
          id: 'breaches-priority', title: 'SLA breaches per day by priority', charts, series: PRIORITIES, plot: [0, 1, 2, 3], stacked: true,
          note: `${plural(breaches, 'breach', 'breaches')} in the range, by the ticket's priority.`,
          rows: daily.breaches.map((d) => [shortDay(d.day), ...PRIORITIES.map((p) => d.byPriority[p])]),
          links: [list('/tickets?breached=true&priority=urgent', 'urgent and breached'), temporalLink('urgent VIP tickets still open')],
        }),
        chartCard({
          id: 'queue-depth', title: 'Queue depth per tier at the end of each day', charts, series: TIERS, plot: [0, 1, 2], type: 'line',
          note: 'Tickets waiting to be claimed (L1: new), replayed from the ticket events.',
          rows: daily.queueDepth.map((d) => [shortDay(d.day), ...TIERS.map((tier) => d[tier])]),
          links: [queue(), list('/tickets?status=escalated_l2', 'waiting at L2'), list('/tickets?status=escalated_l3', 'waiting at L3'), temporalLink('the L2 queue: tickets waiting to be claimed')],
        }),
        chartCard({
          id: 'cycle-time', title: 'Ticket cycle time (intake to close)', charts, series: ['closed tickets'],
          note: `Closed tickets created in the range by how long they took; p50 to resolve ${tickets.timeToResolve.p50Seconds ?? '—'} s.`,
          rows: Object.entries(tickets.cycleTimeDistribution).map(([k, v]) => [k, v]),
          links: [list('/tickets?status=closed', 'closed tickets'), temporalLink('closed tickets')],
        }),
        chartCard({
          id: 'orders-status', title: 'Orders by status', charts, series: ['orders'], highlight: words('credit_hold'),
          note: `${plural(orders.total, 'order')}; ${plural(orders.creditHolds.orders, 'order')} on credit hold worth ${orders.creditHolds.value}; revenue ${orders.revenue}; cancellation rate ${percent(orders.cancellationRate)}.`,
          rows: Object.entries(orders.byStatus).map(([k, v]) => [words(k), v]),
          links: [list('/orders?status=credit_hold', 'credit holds'), list('/orders?status=backordered', 'backordered'), temporalLink('orders on credit hold'), temporalLink('backordered orders')],
        }),
        chartCard({
          id: 'receivables', title: `Receivables aging as of ${receivables.asOf}`, charts, series: ['invoices', 'outstanding', 'late fees', 'total'], plot: [3],
          note: `Open invoices: ${receivables.total.invoices}, total ${receivables.total.total}.`,
          rows: Object.entries(receivables.buckets).map(([k, v]) => [k, v.invoices, v.outstanding, v.lateFees, v.total]),
          links: [finance(range.to)],
        }),
        chartCard({
          id: 'contracts', title: 'Contract pipeline by status', charts, series: ['contracts', 'value'], plot: [1],
          note: `Drafted in the range. Consumption ${contracts.consumption.consumed} of ${contracts.consumption.target}; renewal rate ${percent(contracts.renewalRate)}.`,
          rows: Object.entries(contracts.byStatus).map(([k, v]) => [words(k), v.contracts, v.value]),
          links: [list('/contracts?status=pending_approval', 'awaiting approval'), list('/contracts?status=active', 'active contracts'), temporalLink('contracts awaiting approval')],
        }),
        chartCard({
          id: 'contracts-expiring', title: 'Active contracts and their expiry', charts, series: ['contracts', 'value'], plot: [1],
          note: 'Active contracts and those whose term ends within 30, 60 and 90 days from today.',
          rows: [['active', contracts.active.contracts, contracts.active.value],
            ...Object.entries(contracts.expiring).map(([k, v]) => [words(k.replace(/^within(\d+)Days$/, 'expiring_within_$1_days')), v.contracts, v.value])],
          links: [list('/contracts?status=active', 'active contracts'), temporalLink('active contracts expiring within 30 days', { in30Days })],
        }));
      drawn = charts.map((draw) => draw());
      status.textContent = `Figures for ${range.from} to ${range.to}.`;
      grid.setAttribute('data-loaded', `${range.from}..${range.to}`);
    } catch (err) {
      if (!left && mine === generation) status.textContent = err.message;
    }
  }

  replace(main,
    h('h1', { tabindex: -1 }, 'Dashboard'),
    h('form', {
      className: 'filters', 'aria-label': 'Date range',
      onsubmit: (event) => { event.preventDefault(); load(); },
    }, h('label', { for: 'dash-from' }, 'From'), from, h('label', { for: 'dash-to' }, 'To'), to, h('button', { type: 'submit' }, 'Show')),
    status, grid);
  load();
  return () => { left = true; destroy(); };
}
