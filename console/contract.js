// The contract page: particulars, prices, the approval chain with who decided what, consumption against
// the target, every version with what it changed, invoices and the timeline; buttons for exactly the
// actions the contract's workflow allows the signed-in user now.
import { CONTRACT_ACTIONS } from './actions.js';
import { api, customer } from './api.js';
import { badge, cents, countdown, formatTime, h, money, pairs, replace, section, words } from './dom.js';
import { actionPanel, keepCurrent, namer, processLayout, timelineSection } from './panel.js';
import { dataTable, linkedTickets } from './table.js';

/** A changed field as people say it: "targetValue" → "target value", "price SKU-1" → "price SKU-1". */
const FIELDS = {
  targetValue: 'target value', validFrom: 'valid from', validTo: 'valid to', paymentTerms: 'payment terms', billing: 'billing',
  autoRenew: 'automatic renewal', renewalMonths: 'renewal months', noticeDays: 'notice days', terms: 'terms text', price: 'price', targetQuantity: 'target quantity',
};
const fieldName = (field) => {
  const [name, ...sku] = field.split(' ');
  return [FIELDS[name] ?? name, ...sku].join(' ');
};

/** Dates in a diff as dates, everything else as the API writes it. */
const changeValue = (field, value) => (value === null ? h('span', { className: 'muted' }, '—') : field.startsWith('valid') ? formatTime(value) : value);

/** The latest termination request: why, what was offered, and where the step stands. */
function retentionText(r) {
  const offer = r.offer && [r.offer.discountPercent && `${r.offer.discountPercent} % off`, r.offer.months && `${r.offer.months} more months`, r.offer.alternative].filter(Boolean).join(', ');
  return [badge(words(r.status), r.status === 'lost' ? 'danger' : r.status === 'retained' ? 'ok' : 'warn'), ` asked ${formatTime(r.requestedAt)}: ${r.reason}`, offer ? ` · offered ${offer}` : ''];
}

function particulars(c, live, customerName) {
  const p = c.particulars ?? {};
  return section('Particulars', pairs([
    ['Customer', [h('a', { href: `#/customers/${encodeURIComponent(c.customerId)}` }, customerName ?? c.customerId), h('span', { className: 'muted' }, ` ${c.customerId}`)]],
    ['Type', `${c.type} contract`],
    ['Version / term', `${c.version} / ${c.term}`],
    ['Valid', `${formatTime(c.validFrom)} → ${formatTime(c.validTo)}`],
    ['Target value', c.targetValue],
    live && ['Payment terms', live.paymentTerms ?? 'standard'],
    live?.billing && ['Billing', `${live.billing.amount} ${live.billing.frequency}`],
    live?.nextBillingAt && ['Next billing', formatTime(live.nextBillingAt)],
    live && ['Renewal', live.autoRenew ? `automatic, ${live.renewalMonths} months` : `by decision, ${live.renewalMonths} months`],
    live && ['Notice', `${live.noticeDays} days before the end`],
    live?.terminationAt && ['Terminates', formatTime(live.terminationAt)],
    live?.retention && ['Retention', retentionText(live.retention)],
    p.externalRef && ['External ref / PO', [p.externalRef, p.poDate ? ` of ${p.poDate}` : '']],
    (p.salesOrg || p.channel || p.division) && ['Sales area', [p.salesOrg, p.channel, p.division].filter(Boolean).join(' / ')],
    c.signedAt && ['Signed', formatTime(c.signedAt)],
    c.activatedAt && ['Active since', formatTime(c.activatedAt)],
    c.endedAt && ['Ended', formatTime(c.endedAt)],
    live?.terms && ['Terms', h('p', { className: 'prose' }, live.terms)],
  ]));
}

function prices(live) {
  if (!live || (live.prices.length === 0 && !live.targetQuantities)) return null;
  return section('Prices and targets', live.prices.length > 0 && dataTable({
    caption: 'Contract prices', items: live.prices, rowKey: (p) => p.sku, columns: [['SKU', (p) => p.sku], ['Unit price', (p) => p.unitPrice, 'num']],
  }), live.targetQuantities && dataTable({
    caption: 'Target quantities', items: live.targetQuantities, rowKey: (t) => t.sku,
    columns: [['SKU', (t) => t.sku], ['Target', (t) => String(t.qty), 'num'], ['Valued at', (t) => t.unitPrice, 'num']],
  }));
}

/**
 * Every approval round, step by step: who decided and their comment; for the round still open, the
 * steps ahead and the one awaited.
 */
function approvalChain(c, live, who) {
  const rounds = new Map();
  for (const a of c.approvals) rounds.set(a.round, [...(rounds.get(a.round) ?? []), a]);
  const open = live?.approval;
  if (open && !rounds.has(open.round)) rounds.set(open.round, []);
  if (rounds.size === 0) return section('Approval', h('p', { className: 'muted' }, 'Not submitted for approval yet.'));
  const decided = (a) => h('li', { 'data-round': a.round, 'data-step': a.step, 'data-decision': a.decision },
    h('strong', {}, words(a.role)), ': ', badge(a.decision, a.decision === 'approved' ? 'ok' : 'danger'), ' by ', who(a.actorId, a.actorName), ' · ', formatTime(a.at),
    a.comment ? h('p', { className: 'prose' }, a.comment) : null);
  return section('Approval', [...rounds].map(([round, decisions]) => {
    const isOpen = open?.round === round;
    const ahead = isOpen ? open.chain.slice(decisions.length).map((role, i) => h('li', { 'data-round': round, 'data-step': decisions.length + i, 'data-decision': 'pending' },
      h('strong', {}, words(role)), ': ', i === 0 ? badge('awaiting decision', 'warn') : h('span', { className: 'muted' }, 'after the step before'))) : [];
    return h('div', { className: 'round' },
      h('h3', {}, `Round ${round}`, isOpen ? ` (${open.kind}, ${open.chain.map(words).join(' → ')})` : ''),
      h('ol', { className: 'chain' }, decisions.map(decided), ahead));
  }), live?.lastRejection && !open ? h('p', { className: 'muted' }, `Last rejected by ${words(live.lastRejection.role)}: ${live.lastRejection.comment}`) : null);
}

/** A bar of `parts` ([label, cents, class]) against `whole` cents, with the same figures in words. */
function bar(label, parts, whole, unit = '') {
  const share = (value) => (whole > 0 ? Math.min(100, (value / whole) * 100) : 0);
  const used = parts.reduce((sum, [, value]) => sum + value, 0);
  const said = `${label}: ${parts.map(([name, value]) => `${name} ${unit ? value : money(value)}`).join(' + ')} of ${unit ? whole : money(whole)}${unit} (${Math.round(share(used))} %)`;
  return h('div', { className: 'consumption' },
    h('p', {}, said),
    h('div', { className: 'bar', role: 'img', 'aria-label': said }, parts.map(([name, value, kind]) => {
      const segment = h('span', { className: kind, 'data-share': share(value).toFixed(1), title: name });
      // Through the CSSOM: the console's policy admits no style attributes.
      segment.style.width = `${share(value)}%`;
      return segment;
    })));
}

function consumption(c, live) {
  const { consumed, reserved } = c.consumption;
  const value = bar('Value', [['consumed', cents(consumed.value), 'consumed'], ['reserved', cents(reserved.value), 'reserved']], cents(c.targetValue));
  const qty = (list, sku) => list.find((q) => q.sku === sku)?.qty ?? 0;
  const quantities = (live?.targetQuantities ?? []).map((t) => bar(t.sku, [['consumed', qty(consumed.quantities, t.sku), 'consumed'], ['reserved', qty(reserved.quantities, t.sku), 'reserved']], t.qty, ' units'));
  return section('Consumption against the target', value, quantities, h('p', { className: 'muted' }, `Remaining: ${c.remaining.value}`));
}

function versions(c, who) {
  return section('Versions', h('ol', { className: 'versions' }, c.versions.slice().reverse().map((v) => h('li', { 'data-version': v.version },
    h('p', {}, h('strong', {}, `Version ${v.version}`), ' ', badge(words(v.kind)), ' ', badge(words(v.status), v.status === 'in_force' ? 'ok' : v.status === 'pending_approval' ? 'warn' : ''),
      ' · ', `target ${v.targetValue}, until ${formatTime(v.validTo)}`, h('span', { className: 'muted' }, ` · by ${who(v.createdBy, v.createdByName)} ${formatTime(v.createdAt)}`)),
    v.reason ? h('p', { className: 'prose' }, v.reason) : null,
    v.changes.length > 0 && h('div', { className: 'table-box' }, h('table', { className: 'diff' },
      h('caption', {}, `What version ${v.version} changed`),
      h('thead', {}, h('tr', {}, ['Field', 'Before', 'After'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, v.changes.map((ch) => h('tr', { 'data-field': ch.field },
        h('th', { scope: 'row' }, fieldName(ch.field)), h('td', { className: 'before' }, changeValue(ch.field, ch.from)), h('td', { className: 'after' }, changeValue(ch.field, ch.to)))))))))));
}

function invoices(items) {
  return section('Invoices', dataTable({
    caption: 'Invoices of this contract', items, empty: 'No invoices yet.', rowKey: (i) => i.id,
    columns: [
      ['Invoice', (i) => [i.id, h('div', { className: 'muted' }, i.description)]], ['Issued', (i) => i.issuedOn], ['Due', (i) => i.dueOn],
      ['Amount', (i) => i.amount, 'num'], ['Paid', (i) => i.paidAmount, 'num'],
      ['Amount due', (i) => [i.amountDue, i.lateFee !== '0.00' ? h('span', { className: 'muted' }, ` incl. late fee ${i.lateFee}`) : null], 'num'],
      ['Status', (i) => [words(i.status), i.overdue ? [' ', badge(`${i.daysOverdue} days overdue`, 'danger')] : null]],
    ],
  }));
}


export function contractView({ me, main }, id) {
  const who = namer(me);
  const heading = h('h1', { tabindex: -1 }, `Contract ${id}`);
  const updated = h('span', { className: 'muted' });
  const status = h('p', { className: 'status-line', id: 'contract-status' });
  const left = h('div', { className: 'stack' });
  const side = h('div', { className: 'stack' });
  const wide = h('div', { className: 'stack wide' });
  const panel = actionPanel({
    specs: CONTRACT_ACTIONS, noun: 'contract', home: heading, reload: () => load(),
    send: (action, body) => api(`/contracts/${encodeURIComponent(id)}/${action}`, { method: 'POST', body }),
    done: (view, label) => `${label}: done. The contract is now ${words(view.status)}${view.approval ? `, awaiting ${words(view.approval.awaiting)}` : ''}.`,
  });
  const [load, watch] = keepCurrent({
    main, noun: 'contract', title: `Contract ${id}`, panel, updated,
    fetch: async () => {
      const path = encodeURIComponent(id);
      const [detail, bills] = await Promise.all([api(`/contracts/${path}`), api('/invoices', { query: { contractId: id, limit: 200 } })]);
      return { ...detail, invoices: bills.items, customerName: (await customer(detail.customerId))?.name ?? null };
    },
    draw: (c) => {
      const live = c.live;
      heading.textContent = `Contract ${c.id}${c.particulars?.externalRef ? ` (${c.particulars.externalRef})` : ''}`;
      replace(status, badge(words(c.status), `status status-${c.status}`), ' ', badge(`${c.type} ${c.targetValue}`),
        live?.approval ? [' ', badge(`awaiting ${words(live.approval.awaiting)}`, 'warn')] : null,
        c.status === 'approved' ? [' ', h('span', { className: 'muted' }, 'unsigned until '), countdown(c.validTo)] : null);
      status.dataset.status = c.status;
      replace(left, approvalChain(c, live, who), consumption(c, live), versions(c, who));
      replace(side, particulars(c, live, c.customerName), prices(live), section('Linked tickets', linkedTickets(c.linkedTickets ?? [], 'contract-linked-tickets')));
      replace(wide, invoices(c.invoices), timelineSection(c.timeline, who, (e) => ` (v${e.version})`));
    },
  });

  processLayout({ main, heading, updated, status, load, panel, left, side, wide });
  return watch();
}
