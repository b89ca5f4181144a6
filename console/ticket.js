// The ticket page: everything about one complaint, and buttons for exactly the actions its workflow
// allows the signed-in user now. Refusals are shown in the API's own words.
import { TICKET_ACTIONS } from './actions.js';
import { api, customer, ticketAction } from './api.js';
import { attachmentsSection } from './attachments.js';
import { badge, countdown, formatTime, h, pairs, replace, section, statusText, words } from './dom.js';
import { articleSearch, citedList, draftFromTicket } from './knowledge.js';
import { flags } from './list.js';
import { ARTICLE_READERS, ARTICLE_WRITERS, INCIDENT_ROLES, hasRole } from './roles.js';
import { recordLink, relatedLink } from './table.js';
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
  // The resolution clock pauses while the customer is asked or a major incident holds it, and stops for good once resolved.
  const paused = sla.resolutionPaused && (sla.pauseReason === 'major incident' ? `paused: major incident ${detail.incidentId}`
    : sla.pauseReason === 'pending customer' ? 'paused while waiting for the customer' : 'stopped');
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

const ENTITLEMENT_WHY = {
  no_service_contract: 'no service contract', category_not_covered: 'the service contract does not cover this category',
  not_yet_valid: 'the service contract was not yet in force', expired: 'the service contract had ended',
};

/** The verdict taken at intake: an entitled customer's contract and SLA, or why the call is served without one. */
function entitlementText(e) {
  if (!e) return h('span', { className: 'muted' }, 'not checked (opened before entitlement checks)');
  if (!e.entitled) return [badge('not entitled', 'warn'), ' ', ENTITLEMENT_WHY[e.reason] ?? e.reason, e.contract ? ` (${e.contract.id})` : ''];
  const { id, sla, remaining } = e.contract;
  const multipliers = [sla.responseMultiplier && `response × ${sla.responseMultiplier}`, sla.resolutionMultiplier && `resolution × ${sla.resolutionMultiplier}`].filter(Boolean).join(', ');
  return [badge('entitled', 'ok'), ` contract ${id}`, multipliers && ` · ${multipliers}`, ` · ${remaining.value} left to call off`];
}

/** What the ticket is linked to: the customer's record, a major incident (a link for those who may open it), the ticket it was merged into. */
function linksSection(detail, me) {
  const link = (hash, label) => h('a', { href: hash }, label);
  return section('Entitlement and links', pairs([
    ['Entitlement', entitlementText(detail.entitlement)],
    detail.relatedTo && ['Related to', [`${words(detail.relatedTo.type)} `, relatedLink(detail.relatedTo)]],
    detail.incidentId && ['Major incident', hasRole(me, INCIDENT_ROLES) ? recordLink('incidents', detail.incidentId) : detail.incidentId],
    detail.mergedInto && ['Merged into', link(`#/tickets/${encodeURIComponent(detail.mergedInto)}`, detail.mergedInto)],
  ]));
}

/** `drafting`: the signed-in user writes articles, and may start one from a resolved ticket's resolution. */
function textSections(detail, drafting) {
  return [
    section('Description', h('p', { className: 'prose' }, detail.description)),
    section('Dispatch opinion', h('p', { className: 'prose' }, detail.dispatchOpinion ?? h('span', { className: 'muted' }, 'none yet'))),
    detail.resolution && section('Resolution', h('p', { className: 'prose' }, detail.resolution), citedList(detail.citedArticles),
      drafting && ['resolved', 'closed'].includes(detail.status) && draftFromTicket(detail.id)),
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
  // Articles picked in the knowledge-base search go with the resolution as `articleIds`.
  const articles = hasRole(me, ARTICLE_READERS) ? articleSearch() : null;
  const panel = actionPanel({
    specs: TICKET_ACTIONS, noun: 'ticket', home: heading, reload: () => load(),
    send: async (action, args) => {
      const cites = action === 'resolve' ? (articles?.ids() ?? []) : [];
      const view = await ticketAction(id, action, cites.length > 0 ? { ...args, articleIds: cites } : args);
      if (action === 'resolve') articles?.reset();
      return view;
    },
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
      replace(side, slaSection(detail), linksSection(detail, me), detailsSection(detail, detail.customerInfo, who));
      replace(body, textSections(detail, hasRole(me, ARTICLE_WRITERS)));
      replace(history, historySections(detail, who));
    },
  });

  const left = h('div', { className: 'stack' }, articles && section('Knowledge base', articles.element), body, attachmentsSection(id, me));
  processLayout({ main, heading, updated, status, load, panel, left, side, wide: history });
  return watch();
}
