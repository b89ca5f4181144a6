// The order page: lines with the price rule that priced each, the credit position of a hold, stock and
// backorders, shipment tracking, the activation report, and what a cancellation would undo; buttons for
// exactly the actions the order's workflow allows the signed-in user now.
import { ORDER_ACTIONS } from './actions.js';
import { api, customer } from './api.js';
import { badge, cents, countdown, formatTime, h, money, pairs, replace, section, words } from './dom.js';
import { actionPanel, keepCurrent, namer, processLayout, timelineSection } from './panel.js';
import { compensations } from './saga.js';
import { linkedTickets, recordLink } from './table.js';

const RULES = { list: 'list price', customer: 'customer price', contract: 'contract price' };
function particulars(o, customerName) {
  const live = o.live;
  return section('Order', pairs([
    ['Customer', [h('a', { href: `#/customers/${encodeURIComponent(o.customerId)}` }, customerName ?? o.customerId), h('span', { className: 'muted' }, ` ${o.customerId}`)]],
    ['Payment terms', o.paymentTerms],
    o.contractId && ['Call-off of', h('a', { href: `#/contracts/${encodeURIComponent(o.contractId)}` }, o.contractId)],
    ['Total', o.total ?? '—'],
    o.invoiceId && ['Invoice', o.invoiceId],
    o.paymentId && ['Payment', o.paymentId],
    o.deliveryAddress && ['Deliver to', h('p', { className: 'prose' }, o.deliveryAddress)],
    ['Placed', formatTime(o.createdAt)],
    o.closedAt && ['Closed', formatTime(o.closedAt)],
    o.cancelReason && ['Cancelled because', o.cancelReason],
    live?.waitingUntil && ['Waiting until', [countdown(live.waitingUntil), h('span', { className: 'muted' }, ` (${formatTime(live.waitingUntil)})`)]],
  ]));
}

function lineRows(o, stock) {
  const short = o.live?.backorderedSkus ?? [];
  const stockOf = (l) => {
    if (l.kind === 'service') return h('span', { className: 'muted' }, 'service');
    const p = stock.get(l.sku);
    return [short.includes(l.sku) ? [badge('backordered', 'warn'), ' '] : null, p ? `${p.stockAvailable} available (${p.stockOnHand} on hand, ${p.stockReserved} held)` : '—'];
  };
  return section('Lines', h('div', { className: 'table-box' }, h('table', { className: 'lines' },
    h('caption', { className: 'sr-only' }, 'Order lines'),
    h('thead', {}, h('tr', {}, ['SKU', 'Qty', 'Base price', 'Priced by', 'Unit price', 'Line total', 'Stock'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, o.lines.map((l) => h('tr', { 'data-sku': l.sku },
      h('td', {}, recordLink('products', l.sku), h('div', { className: 'muted' }, l.kind)),
      h('td', { className: 'num' }, String(l.qty)),
      h('td', { className: 'num' }, l.baseUnitPrice),
      h('td', { className: 'rule' }, RULES[l.priceRule] ?? l.priceRule, l.promotionId ? h('div', { className: 'muted' }, `promotion ${l.promotionId}: ${l.percentOff} % off`) : null),
      h('td', { className: 'num' }, l.unitPrice),
      h('td', { className: 'num' }, l.lineTotal),
      h('td', {}, stockOf(l))))))));
}

/** The credit check's figures: the exposure counts open receivables and this order (domain/orders.ts, checkCredit). */
function creditPosition(o) {
  const credit = o.live?.credit;
  if (!credit) return null;
  const exposure = cents(credit.exposure);
  const limit = cents(credit.limit);
  const order = cents(o.total ?? '0');
  return section('Credit position', pairs([
    ['Credit limit', credit.limit],
    ['Open receivables', money(exposure - order)],
    ['This order', o.total],
    ['Exposure with this order', [credit.exposure, ' ', credit.withinLimit ? badge('within the limit', 'ok') : badge(`over by ${money(exposure - limit)}`, 'danger')]],
    o.status === 'credit_hold' && o.live.waitingUntil && ['Decide within', countdown(o.live.waitingUntil)],
  ]), o.status === 'credit_hold' ? h('p', { className: 'muted' }, 'Undecided when the clock runs out, the order is cancelled.') : null);
}

function fulfilment(o) {
  const live = o.live;
  const s = o.shipment;
  const entries = [
    s && ['Carrier', s.carrier],
    s && ['Tracking number', s.trackingNo],
    s && ['Shipped', formatTime(s.shippedAt)],
    s && ['Delivered', s.deliveredAt ? formatTime(s.deliveredAt) : 'not yet'],
    live?.activationReportOpen && ['Activation', badge('not confirmed by the platform in time: report it', 'warn')],
  ];
  return entries.some(Boolean) ? section('Shipment and activation', pairs(entries)) : null;
}


export function orderView({ me, main }, id) {
  const who = namer(me);
  const heading = h('h1', { tabindex: -1 }, `Order ${id}`);
  const updated = h('span', { className: 'muted' });
  const status = h('p', { className: 'status-line', id: 'order-status' });
  const left = h('div', { className: 'stack' });
  const side = h('div', { className: 'stack' });
  const wide = h('div', { className: 'stack wide' });
  let current = null;
  const panel = actionPanel({
    specs: ORDER_ACTIONS, noun: 'order', home: heading, reload: () => load(),
    send: (action, body) => api(`/orders/${encodeURIComponent(id)}/${action}`, { method: 'POST', body }),
    done: (view, label) => `${label}: done. The order is now ${words(view.status)}.`,
    // A cancellation says what it will undo before it is confirmed.
    intro: (key) => {
      if (key !== 'cancel' || !current) return null;
      const undo = compensations(current);
      return h('div', { className: 'field' }, h('p', {}, undo.length ? 'Cancelling will:' : 'Nothing has been committed yet; cancelling only closes the order.'),
        undo.length ? h('ul', { className: 'compensations' }, undo.map((step) => h('li', {}, step))) : null);
    },
  });
  const [load, watch] = keepCurrent({
    main, noun: 'order', title: `Order ${id}`, panel, updated,
    fetch: async () => {
      const detail = await api(`/orders/${encodeURIComponent(id)}`);
      const goods = detail.lines.filter((l) => l.kind === 'goods');
      const [name, ...products] = await Promise.all([
        customer(detail.customerId).then((c) => c?.name ?? null),
        ...goods.map((l) => api(`/products/${encodeURIComponent(l.sku)}`).catch(() => null)),
      ]);
      return { ...detail, customerName: name, stock: goods.map((l, i) => [l.sku, products[i]]) };
    },
    draw: (o) => {
      current = o;
      heading.textContent = `Order ${o.id}`;
      replace(status, badge(words(o.status), `status status-${o.status}`), ' ', badge(o.paymentTerms),
        o.live?.backorderedSkus.length ? [' ', badge(`short: ${o.live.backorderedSkus.join(', ')}`, 'warn')] : null,
        o.live?.activationReportOpen ? [' ', badge('activation report due', 'warn')] : null);
      status.dataset.status = o.status;
      replace(left, lineRows(o, new Map(o.stock)), creditPosition(o), fulfilment(o));
      replace(side, particulars(o, o.customerName), section('Linked tickets', linkedTickets(o.linkedTickets ?? [], 'order-linked-tickets')));
      replace(wide, timelineSection(o.timeline, who));
    },
  });

  processLayout({ main, heading, updated, status, load, panel, left, side, wide });
  return watch();
}
