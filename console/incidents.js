// Major incidents (issue 16): one fault that makes many customers call. A supervisor declares it, the people who
// take the calls attach their tickets (whose resolution clocks then pause), and resolving it resolves them all.
import { INCIDENT_ACTIONS } from './actions.js';
import { api, newIdempotencyKey } from './api.js';
import { announce, badge, choices, field, formatTime, h, pairs, poll, replace, section, submitting, words } from './dom.js';
import { redraw, ticketTable } from './list.js';
import { actionPanel, keepCurrent, namer, processLayout } from './panel.js';
import { INCIDENT_DECLARERS, hasRole } from './roles.js';
import { dataTable, recordLink } from './table.js';
import { CATEGORIES } from './vocab.js';

const REFRESH_MS = 15_000;
const incidentPath = (id) => `/incidents/${encodeURIComponent(id)}`;
const statusBadge = (status) => badge(status, status === 'resolved' ? 'ok' : 'danger');

function declareForm() {
  // One key per incident being declared: a double click declares it once.
  const key = newIdempotencyKey();
  const button = h('button', { type: 'submit', className: 'primary' }, 'Declare incident');
  const error = h('p', { className: 'error', role: 'alert' });
  const form = h('form', { className: 'stack', 'aria-label': 'Declare a major incident' },
    field('incident-summary', 'Summary (what is broken, as the agents will read it)', h('textarea', { id: 'incident-summary', name: 'summary', required: true, rows: 3, maxlength: 500 })),
    h('div', { className: 'row' },
      field('incident-category', 'Category', choices('incident-category', 'category', CATEGORIES, null, 'any')),
      field('incident-region', 'Region', h('input', { id: 'incident-region', name: 'region', maxlength: 100 }))),
    h('div', { className: 'buttons' }, button), error);
  form.addEventListener('submit', submitting(button, error, async () => {
    // Empty optional fields are left out: the API takes an absent category or region as "not limited to one".
    const body = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    const incident = await api('/incidents', { method: 'POST', body, headers: { 'idempotency-key': key } });
    announce(`Major incident ${incident.id} declared.`);
    location.hash = `#/incidents/${encodeURIComponent(incident.id)}`;
  }));
  return section('Declare a major incident', form);
}

export function incidentsView({ me, main }) {
  const status = choices('incidents-status', 'status', ['open', 'resolved'], 'open', 'any');
  const list = h('div', { 'aria-live': 'polite' });
  const error = h('p', { className: 'error', role: 'alert' });
  const load = async () => {
    try {
      const { items } = await api('/incidents', { query: { status: status.value, limit: 100 } });
      error.textContent = '';
      redraw(list, items, () => dataTable({
        id: 'incidents', caption: 'Major incidents, newest first', items, rowKey: (i) => i.id, empty: 'No major incident.',
        columns: [['Incident', (i) => recordLink('incidents', i.id)], ['Summary', (i) => i.summary], ['Category', (i) => words(i.category ?? 'any')],
          ['Region', (i) => i.region ?? '—'], ['Status', (i) => statusBadge(i.status)], ['Tickets', (i) => String(i.ticketIds.length), 'num'],
          ['Declared', (i) => formatTime(i.createdAt)]],
      }));
    } catch (err) {
      error.textContent = err.message;
    }
  };
  status.addEventListener('change', load);
  replace(main,
    h('h1', { tabindex: -1 }, 'Major incidents'),
    h('div', { className: 'columns' },
      section('Incidents', field('incidents-status', 'Status', status), list, error),
      hasRole(me, INCIDENT_DECLARERS) ? declareForm() : null));
  return poll(load, REFRESH_MS);
}

export function incidentView({ me, main }, id) {
  const who = namer(me);
  const heading = h('h1', { tabindex: -1 }, `Major incident ${id}`);
  const updated = h('span', { className: 'muted' });
  const status = h('p', { className: 'status-line', id: 'incident-status' });
  const side = h('div', { className: 'stack' });
  const tickets = h('div', { className: 'stack wide' });
  const panel = actionPanel({
    specs: INCIDENT_ACTIONS, noun: 'incident', home: heading, reload: () => load(),
    send: (action, body) => api(action === 'attach' ? `${incidentPath(id)}/tickets` : `${incidentPath(id)}/${action}`, { method: 'POST', body }),
    done: (view, label) => `${label}: done. The incident is ${view.status} with ${view.ticketIds.length} ticket(s).`,
  });
  const [load, watch] = keepCurrent({
    main, noun: 'incident', title: `Major incident ${id}`, panel, updated,
    fetch: async () => {
      const incident = await api(incidentPath(id));
      return { ...incident, tickets: (await api('/tickets', { query: { incidentId: id, limit: 100 } })).items };
    },
    draw: (incident) => {
      heading.textContent = `Major incident ${incident.id}: ${incident.summary}`;
      replace(status, statusBadge(incident.status));
      status.dataset.status = incident.status;
      replace(side, section('Details', pairs([
        ['Category', words(incident.category ?? 'any')],
        ['Region', incident.region ?? 'any'],
        ['Declared', [who(incident.createdBy), ' · ', formatTime(incident.createdAt)]],
        incident.resolvedAt && ['Resolved', formatTime(incident.resolvedAt)],
      ])));
      // The incident knows its tickets at once; each ticket's row names the incident once its own workflow has recorded the hold.
      const recording = incident.ticketIds.filter((ticketId) => !incident.tickets.some((t) => t.id === ticketId));
      replace(tickets, section(`Attached tickets (${incident.ticketIds.length})`,
        ticketTable('Tickets held by the incident', incident.tickets, me, recording.length > 0 ? '' : 'No ticket is attached yet.'),
        recording.length > 0 && h('p', { className: 'muted', id: 'tickets-recording' }, 'Attached, the hold being recorded: ', recording.map((ticketId, i) => [i > 0 ? ', ' : '', recordLink('tickets', ticketId)]))),
      incident.resolution && section('Resolution', h('p', { className: 'prose' }, incident.resolution)));
    },
  });
  processLayout({ main, heading, updated, status, load, panel, left: null, side, wide: tickets });
  return watch();
}
