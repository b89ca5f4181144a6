// Returns (RMA): an agent or fulfilment takes back delivered goods of an order; fulfilment receives them,
// line by line resaleable or damaged, and the credit note follows. Which buttons appear is the API's
// `allowedActions`, as on the ticket page.
import { api } from './api.js';
import { announce, badge, formatTime, h, poll, replace, words } from './dom.js';

const REFRESH_MS = 10_000;

function field(id, label, control) {
  return h('div', { className: 'field' }, h('label', { for: id }, label), control);
}

/** The return form for one delivered order: a quantity per goods line and a reason. */
function returnForm(order, onDone) {
  const goods = order.lines.filter((l) => l.kind === 'goods');
  const qty = goods.map((l, i) => h('input', { id: `return-qty-${i}`, type: 'number', min: 0, max: l.qty, value: 0, required: true }));
  const reason = h('textarea', { id: 'return-reason', rows: 2, required: true });
  const error = h('p', { className: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, 'Record return');
  return h('form', {
    className: 'card', 'aria-label': `Return goods of ${order.id}`,
    onsubmit: async (e) => {
      e.preventDefault();
      const lines = goods.map((l, i) => ({ sku: l.sku, qty: Number(qty[i].value) })).filter((l) => l.qty > 0);
      if (lines.length === 0) return void (error.textContent = 'Enter a quantity for at least one line.');
      send.disabled = true;
      try {
        const made = await api(`/orders/${encodeURIComponent(order.id)}/returns`, { method: 'POST', body: { lines, reason: reason.value.trim() }, headers: { 'idempotency-key': crypto.randomUUID() } });
        announce(`Return ${made.id} recorded: ${made.total} to credit once the goods arrive.`);
        onDone();
      } catch (err) {
        error.textContent = err.message;
      } finally {
        send.disabled = false;
      }
    },
  },
  h('h2', {}, `Return goods of ${order.id}`),
  goods.length === 0 ? h('p', { className: 'muted' }, 'This order has no goods; services end by termination, not by a return.') : null,
  goods.map((l, i) => field(`return-qty-${i}`, `${l.sku}: of ${l.qty} delivered at ${l.unitPrice}`, qty[i])),
  field('return-reason', 'Reason', reason), error, h('div', { className: 'buttons' }, send));
}

/** Fulfilment's receipt of one return: a condition per line. */
function receiveForm(ret, onDone) {
  const conditions = ret.lines.map((l, i) => h('select', { id: `receive-${ret.id}-${i}` }, ['resaleable', 'damaged'].map((c) => h('option', { value: c }, c))));
  const error = h('p', { className: 'error', role: 'alert' });
  return h('form', {
    'aria-label': `Receive ${ret.id}`,
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const done = await api(`/returns/${encodeURIComponent(ret.id)}/received`, { method: 'POST', body: { lines: ret.lines.map((l, i) => ({ sku: l.sku, condition: conditions[i].value })) } });
        announce(`Return ${ret.id} received: credit note ${done.creditNoteId} over ${done.total}.`);
        onDone();
      } catch (err) {
        error.textContent = err.message;
      }
    },
  }, ret.lines.map((l, i) => field(`receive-${ret.id}-${i}`, `${l.qty} × ${l.sku}`, conditions[i])), h('button', { type: 'submit' }, 'Goods received'), error);
}

async function creditNoteText(id) {
  const cn = await api(`/credit-notes/${encodeURIComponent(id)}`);
  return [`${cn.id}: ${cn.amount}`, cn.appliedToInvoice !== '0.00' && `${cn.appliedToInvoice} off ${cn.invoiceId}`,
    cn.creditBalance !== '0.00' && `${cn.creditBalance} credit balance`,
    ...cn.applications.map((a) => `${a.amount} off ${a.invoiceId}`), cn.refundAmount !== '0.00' && `${cn.refundAmount} to refund`].filter(Boolean).join(' · ');
}

function returnsTable(items, reload) {
  if (items.length === 0) return h('p', { className: 'muted empty' }, 'No returns yet.');
  return h('div', { className: 'table-box' }, h('table', {},
    h('caption', {}, 'Returns, newest first'),
    h('thead', {}, h('tr', {}, ['Return', 'Order', 'Lines', 'Total', 'Status', 'Requested', 'Credit note / action'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((r) => {
      const last = h('td', {});
      if (r.creditNoteId) creditNoteText(r.creditNoteId).then((text) => { last.textContent = text; }, () => { last.textContent = r.creditNoteId; });
      else if (r.allowedActions.includes('received')) last.append(receiveForm(r, reload));
      else last.textContent = 'awaiting the goods';
      return h('tr', { 'data-return': r.id },
        h('td', {}, r.id), h('td', {}, r.orderId), h('td', {}, r.lines.map((l) => `${l.qty} × ${l.sku}${l.condition ? ` (${l.condition})` : ''}`).join(', ')),
        h('td', {}, r.total), h('td', {}, badge(words(r.status), 'status')), h('td', {}, formatTime(r.createdAt)), last);
    }))));
}

export function returnsView({ main }) {
  const orderNo = h('input', { id: 'return-order', placeholder: 'SO-2026-000123', size: 16, required: true });
  const formBox = h('div', {});
  const list = h('div', { 'aria-live': 'off' });
  const error = h('p', { className: 'error', role: 'alert' });

  async function load() {
    try {
      replace(list, returnsTable((await api('/returns', { query: { limit: 50 } })).items, load));
      error.textContent = '';
    } catch (err) {
      error.textContent = `Could not load the returns: ${err.message}`;
    }
  }

  replace(main,
    h('h1', { tabindex: -1 }, 'Returns'),
    h('form', {
      className: 'filters',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const order = await api(`/orders/${encodeURIComponent(orderNo.value.trim().toUpperCase())}`);
          replace(formBox, returnForm(order, () => { replace(formBox); load(); }));
        } catch (err) {
          replace(formBox, h('p', { className: 'error', role: 'alert' }, err.message));
        }
      },
    }, h('label', { for: 'return-order' }, 'Order'), orderNo, h('button', { type: 'submit' }, 'Take a return')),
    formBox, error, list);
  return poll(load, REFRESH_MS);
}
