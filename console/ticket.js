// The ticket page: everything about one complaint, and buttons for exactly the actions its workflow
// allows the signed-in user now. Refusals are shown in the API's own words.
import { TICKET_ACTIONS } from './actions.js';
import { api, customer, ticketAction } from './api.js';
import { badge, countdown, formatTime, h, pairs, replace, section, statusText, words } from './dom.js';
import { flags } from './list.js';
import { actionPanel, keepCurrent, namer, processLayout } from './panel.js';
import { FINAL_STATES } from './vocab.js';

function deadline(iso, { final, breached, paused }) {
  const mark = breached ? [' ', badge('breached', 'danger')] : null;
  if (paused) return [h('span', { className: 'muted' }, paused), mark];
  if (!iso) return ['—', mark];
  return [final ? formatTime(iso) : [countdown(iso), h('span', { className: 'muted' }, ` (${formatTime(iso)})`)], mark];
}

function slaSection(detail) {
  const sla = detail.live?.sla ?? { responseDueAt: detail.responseDueAt, resolutionDueAt: detail.resolutionDueAt };
  const final = FINAL_STATES.includes(detail.status);
  // The resolution clock pauses while the customer is asked, and stops for good once resolved.
  const paused = sla.resolutionPaused && (detail.status === 'pending_customer' ? 'paused while waiting for the customer' : 'stopped');
  return section('SLA', pairs([
    ['Response due', deadline(sla.responseDueAt, { final, breached: sla.responseBreached })],
    ['Resolution due', deadline(sla.resolutionDueAt, { final, breached: sla.resolutionBreached, paused })],
    sla.confirmationDueAt && ['Confirmation due', deadline(sla.confirmationDueAt, { final })],
    sla.customerAnswerDueAt && ['Customer answer due', deadline(sla.customerAnswerDueAt, { final })],
    sla.calendar && ['Business hours', sla.calendar],
  ]));
}

function detailsSection(detail, customerInfo, who) {
  return section('Details', pairs([
    ['Customer', [h('a', { href: `#/customers/${encodeURIComponent(detail.customerId)}` }, customerInfo?.name ?? detail.customerId), ' ', badge(detail.customerTier, detail.customerTier === 'vip' ? 'vip' : ''), h('span', { className: 'muted' }, ` ${detail.customerId}`)]],
    customerInfo?.contacts.length && ['Contact', customerInfo.contacts.map((c) => [c.name, c.phone && ` · ${c.phone}`, c.email && ` · ${c.email}`]).slice(0, 1)],
    ['Channel', words(detail.channel)],
    ['Category', words(detail.category)],
    ['Priority', badge(detail.priority, `priority-${detail.priority}`)],
    ['Assignee', detail.assigneeId ? who(detail.assigneeId, detail.assigneeName) : 'nobody (in the queue)'],
    ['Opened', formatTime(detail.createdAt)],
    ['Escalations / reopens', `${detail.escalations} / ${detail.reopens}`],
    detail.satisfaction !== null && ['Satisfaction', `${detail.satisfaction} of 5`],
  ]));
}

function textSections(detail) {
  return [
    section('Description', h('p', { className: 'prose' }, detail.description)),
    section('Dispatch opinion', h('p', { className: 'prose' }, detail.dispatchOpinion ?? h('span', { className: 'muted' }, 'none yet'))),
    detail.resolution && section('Resolution', h('p', { className: 'prose' }, detail.resolution)),
  ];
}

function historySections(detail, who) {
  const notes = detail.timeline.filter((e) => e.action === 'note');
  const move = (e) => (e.fromStatus && e.fromStatus !== e.toStatus ? `${statusText(e.fromStatus)} → ${statusText(e.toStatus)}` : statusText(e.toStatus))
    + (e.fromTier && e.fromTier !== e.toTier ? ` (${e.fromTier} → ${e.toTier})` : '');
  return [
    section(`Notes (${notes.length})`, notes.length === 0 ? h('p', { className: 'muted' }, 'No notes yet.') : h('ul', { className: 'notes' }, notes.map((e) => h('li', {},
      h('p', { className: 'prose' }, e.note), h('p', { className: 'muted' }, who(e.actorId, e.actorName), ' · ', formatTime(e.at), e.internal ? [' ', badge('internal')] : null))))),
    section('Timeline', h('ol', { className: 'timeline' }, detail.timeline.map((e) => h('li', { 'data-action': e.action },
      h('time', { datetime: e.at }, formatTime(e.at)), ' ', h('strong', {}, words(e.action)), ' by ', who(e.actorId, e.actorName), ' · ', move(e),
      e.note ? h('p', { className: 'prose' }, e.note, e.internal ? [' ', badge('internal')] : null) : null)))),
  ];
}

export function ticketView({ me, main }, id) {
  const who = namer(me);
  const heading = h('h1', { tabindex: -1 }, `Ticket ${id}`);
  const updated = h('span', { className: 'muted' });
  const status = h('p', { className: 'status-line', id: 'ticket-status' });
  const side = h('div', { className: 'stack' });
  const body = h('div', { className: 'stack' });
  const history = h('div', { className: 'stack wide' });
  const panel = actionPanel({
    specs: TICKET_ACTIONS, noun: 'ticket', home: heading, reload: () => load(),
    send: (action, args) => ticketAction(id, action, args),
    done: (view, label) => `${label}: done. The ticket is now ${statusText(view.status)}.`,
  });
  const [load, watch] = keepCurrent({
    main, noun: 'ticket', title: `Ticket ${id}`, panel, updated,
    // The customer's name and contact with the ticket; customers are cached per tab (api.js).
    fetch: async () => {
      const detail = await api(`/tickets/${encodeURIComponent(id)}`);
      return { ...detail, customerInfo: await customer(detail.customerId) };
    },
    draw: (detail) => {
      heading.textContent = `Ticket ${detail.id}: ${detail.subject}`;
      replace(status, badge(statusText(detail.status), `status status-${detail.status}`), ' ', badge(detail.tier), ' ', flags(detail));
      status.dataset.status = detail.status;
      replace(side, slaSection(detail), detailsSection(detail, detail.customerInfo, who));
      replace(body, textSections(detail));
      replace(history, historySections(detail, who));
    },
  });

  processLayout({ main, heading, updated, status, load, panel, left: body, side, wide: history });
  return watch();
}
