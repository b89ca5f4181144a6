// The manager dashboard (#/dashboard): the existing report endpoints drawn as charts with Chart.js (bundled
// from node_modules, served at /console/vendor/), each chart with a table of its exact numbers, a link to
// the filtered list and a link to the ready Temporal UI filter (README "For managers").
import { api } from './api.js';
import { h, replace, statusText, words } from './dom.js';

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
let settingsLoad;
/** The Temporal UI's address and the ready filters (served by api/routes/console.ts); loaded once. */
const loadSettings = () => (settingsLoad ??= fetch('/console/settings.json')
  .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`settings: HTTP ${res.status}`))))
  .then((value) => { settings = value; }, (err) => { settingsLoad = undefined; throw err; }));

/** The Temporal UI's workflow list with a ready filter from domain/manager-filters.ts. */
function temporalLink(title, values = {}) {
  const filter = settings?.managerFilters?.find((f) => f.title === title);
  if (!filter) return null;
  const query = filter.query.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const { url, namespace } = settings.temporalUi;
  return h('a', { href: `${url}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`, target: '_blank', rel: 'noopener' },
    `Temporal UI: ${title}`);
}

const day = (date) => date.toISOString().slice(0, 10);
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(2)} %`);

/**
 * One chart: a figure with a canvas (role img, its numbers in words as the label), the same numbers as a
 * table, and links. `rows` are [label, ...values]; `series` name the value columns; `plot` picks which
 * columns are drawn (counts and money do not share an axis).
 */
function chartCard({ id, title, rows, series, plot = [0], note, links, charts }) {
  const canvas = h('canvas', { id: `${id}-canvas`, role: 'img', 'aria-label': `${title}: ${rows.map(([label, ...values]) => `${label} ${values[plot[0]]}`).join(', ')}` });
  const table = h('table', { className: 'figures', id: `${id}-table`, 'data-chart': id },
    h('caption', {}, `${title}: figures`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'what'), series.map((s) => h('th', { scope: 'col' }, s)))),
    h('tbody', {}, rows.map(([label, ...values]) => h('tr', { 'data-key': label },
      h('th', { scope: 'row' }, label), values.map((v) => h('td', { className: 'num' }, String(v)))))));
  const card = h('section', { className: 'card chart', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    note && h('p', { className: 'muted' }, note),
    h('div', { className: 'canvas-box' }, canvas),
    table,
    h('p', { className: 'links' }, links.filter(Boolean).flatMap((link, i) => (i ? [' · ', link] : [link]))));
  charts.push(() => new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map(([label]) => label),
      datasets: plot.map((col) => ({ label: series[col], data: rows.map((row) => Number(row[col + 1])) })),
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: plot.length > 1 } }, scales: { y: { beginAtZero: true } } },
  }));
  return card;
}

export function dashboardView({ me, main }) {
  // The queue view is for the support tiers (a supervisor); every reader can use the API lists.
  const queue = me.roles.some((role) => ['support_l2', 'support_l3', 'supervisor'].includes(role)) && h('a', { href: '#/queue' }, 'Queue');
  const apiList = (path, text) => h('a', { href: `/api/v1${path}`, className: 'api-list' }, `${text} (API)`);
  const today = new Date();
  const from = h('input', { id: 'dash-from', type: 'date', value: day(new Date(today.getTime() - 29 * 86_400_000)), required: true });
  const to = h('input', { id: 'dash-to', type: 'date', value: day(today), required: true });
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
      const [, , tickets, orders, contracts, receivables] = await Promise.all([
        loadChart(), loadSettings(),
        api('/reports/tickets', { query: range }), api('/reports/orders', { query: range }),
        api('/reports/contracts', { query: range }), api('/reports/receivables', { query: range }),
      ]);
      if (left || mine !== generation) return;
      const charts = [];
      const in30Days = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      destroy();
      replace(grid,
        chartCard({
          id: 'tickets-status', title: 'Tickets by status', charts, series: ['tickets'],
          note: `${plural(tickets.total, 'ticket')} created in the range; SLA breach rate ${percent(tickets.slaBreachRate)}.`,
          rows: Object.entries(tickets.byStatus).map(([k, v]) => [statusText(k), v]),
          links: [queue, apiList('/tickets?status=escalated_l2', 'waiting at L2'), apiList('/tickets?breached=true', 'SLA breached'), temporalLink('the L2 queue: tickets waiting to be claimed')],
        }),
        chartCard({
          id: 'tickets-tier', title: 'Tickets by tier', charts, series: ['tickets'],
          note: `Escalation L1→L2 ${percent(tickets.escalationRates.l1ToL2)}, L2→L3 ${percent(tickets.escalationRates.l2ToL3)}.`,
          rows: Object.entries(tickets.byTier).map(([k, v]) => [k, v]),
          links: [apiList('/tickets?tier=L2', 'tickets at L2'), apiList('/tickets?tier=L3', 'tickets at L3'), temporalLink('breached tickets at L2'), temporalLink('urgent VIP tickets still open')],
        }),
        chartCard({
          id: 'orders-status', title: 'Orders by status', charts, series: ['orders'],
          note: `${plural(orders.total, 'order')}; ${plural(orders.byStatus.credit_hold ?? 0, 'order')} on credit hold; revenue ${orders.revenue}; cancellation rate ${percent(orders.cancellationRate)}.`,
          rows: Object.entries(orders.byStatus).map(([k, v]) => [words(k), v]),
          links: [apiList('/orders?status=credit_hold', 'credit holds'), apiList('/orders?status=backordered', 'backordered'), temporalLink('orders on credit hold'), temporalLink('backordered orders')],
        }),
        chartCard({
          id: 'receivables', title: `Receivables aging as of ${receivables.asOf}`, charts, series: ['invoices', 'outstanding', 'late fees', 'total'], plot: [3],
          note: `Open invoices: ${receivables.total.invoices}, total ${receivables.total.total}.`,
          rows: Object.entries(receivables.buckets).map(([k, v]) => [k, v.invoices, v.outstanding, v.lateFees, v.total]),
          links: [apiList('/invoices?overdue=true', 'overdue invoices')],
        }),
        chartCard({
          id: 'contracts', title: 'Contract pipeline', charts, series: ['contracts', 'value'], plot: [1],
          note: `Consumption ${contracts.consumption.consumed} of ${contracts.consumption.target}; renewal rate ${percent(contracts.renewalRate)}.`,
          rows: [['active', contracts.active.contracts, contracts.active.value],
            ...Object.entries(contracts.expiring).map(([k, v]) => [words(k.replace(/^within(\d+)Days$/, 'expiring_within_$1_days')), v.contracts, v.value])],
          links: [apiList('/contracts?status=active', 'active contracts'), apiList('/contracts?status=pending_approval', 'awaiting approval'), temporalLink('contracts awaiting approval'), temporalLink('active contracts expiring within 30 days', { in30Days })],
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
