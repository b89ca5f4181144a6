// The catalogue (#/products) and one product (#/products/<sku>): list price, stock on hand / held / available,
// the promotions that can price it and the orders waiting for it. Every role reads; the admin keeps the
// catalogue (new product, name and list price, promotions) and fulfilment books goods in (restock), which
// wakes the orders backordered on the sku.
import { api } from './api.js';
import { announce, badge, formatTime, h, pairs, poll, replace, words } from './dom.js';
import { MONEY, input, recordForm, select } from './forms.js';
import { redraw } from './list.js';
import { CATALOG_ROLES, RESTOCK_ROLES, hasRole } from './roles.js';
import { dataTable, recordLink } from './table.js';

const num = 'num';
const PAGE_SIZE = 50;
const REFRESH_MS = 5000;
const KINDS = [['goods', 'goods'], ['service', 'service']];
const path = (sku) => `/products/${encodeURIComponent(sku)}`;
/** Services carry no stock: their stock cells say so instead of showing zeros. */
const stockOf = (p, key) => (p.kind === 'goods' ? String(p[key]) : '—');

function catalogueTable(items) {
  return dataTable({
    id: 'products-table', caption: 'Products by SKU', items, rowKey: (p) => p.sku, empty: 'No products match.',
    columns: [['SKU', (p) => recordLink('products', p.sku)], ['Name', (p) => p.name], ['Kind', (p) => p.kind], ['List price', (p) => p.listPrice, num],
      ['On hand', (p) => stockOf(p, 'stockOnHand'), num], ['Held', (p) => stockOf(p, 'stockReserved'), num], ['Available', (p) => stockOf(p, 'stockAvailable'), num],
      ['Status', (p) => words(p.status)]],
  });
}

function newProductForm() {
  const stock = input('product-stock', 'Initial stock on hand', { type: 'number', min: 0, step: 1, value: 0 });
  const kind = select('product-kind', 'Kind', KINDS);
  // A service carries no stock (the API refuses one), so its stock field goes away and is not sent.
  kind.querySelector('select').addEventListener('change', (e) => { stock.hidden = e.target.value !== 'goods'; });
  return recordForm({
    id: 'product-new', title: 'New product', submit: 'Create product',
    fields: [
      input('product-sku', 'SKU', { required: true, maxlength: 64, autocomplete: 'off', placeholder: 'ROUTER-AX3000' }),
      input('product-name', 'Name', { required: true, maxlength: 200 }),
      h('div', { className: 'row' }, kind, input('product-price', 'List price', { required: true, ...MONEY, placeholder: '129.00' })),
      stock,
    ],
    send: (v) => api('/products', { method: 'POST', body: {
      sku: v['product-sku'].trim(), name: v['product-name'], kind: v['product-kind'], listPrice: v['product-price'].trim(),
      ...(v['product-kind'] === 'goods' ? { stock: Number(v['product-stock'] || 0) } : {}),
    } }),
    done: (product) => {
      announce(`Created ${product.sku} (${product.name}).`);
      location.hash = `#/products/${encodeURIComponent(product.sku)}`;
    },
  });
}

/** A promotion for one sku, or (no sku given) for every product. */
function promotionForm(sku, onCreated) {
  return recordForm({
    id: 'promotion-new', title: sku ? `New promotion on ${sku}` : 'New promotion', submit: 'Create promotion',
    fields: [
      sku ? null : input('promotion-sku', 'SKU (empty: every product)', { maxlength: 64, autocomplete: 'off' }),
      input('promotion-percent', 'Percent off', { type: 'number', required: true, step: 0.01, inputmode: 'decimal' }),
      h('div', { className: 'row' }, input('promotion-from', 'Valid from', { type: 'date', required: true }), input('promotion-to', 'Valid to', { type: 'date', required: true })),
    ],
    send: (v) => {
      const target = sku ?? v['promotion-sku'].trim();
      return api('/promotions', { method: 'POST', body: {
        ...(target ? { sku: target } : {}), percentOff: Number(v['promotion-percent']), validFrom: v['promotion-from'], validTo: v['promotion-to'],
      } });
    },
    done: (promotion, form) => {
      announce(`Promotion ${promotion.id}: ${promotion.percentOff} % off ${promotion.sku ?? 'every product'}, ${promotion.validFrom} to ${promotion.validTo} (${promotion.status}).`);
      form.reset();
      onCreated?.(promotion);
    },
    note: 'Promotions do not stack: on an order, the largest percentage valid that day wins.',
  });
}

export function productsView({ me, main }) {
  const kind = h('select', { id: 'products-kind' }, h('option', { value: '' }, 'all'), KINDS.map(([value, text]) => h('option', { value }, text)));
  const sku = h('input', { id: 'products-open-sku', required: true, maxlength: 64, autocomplete: 'off', placeholder: 'SKU' });
  const list = h('div', { id: 'products-list', 'aria-live': 'polite' });
  const pager = h('div', { className: 'buttons' });
  /** The cursors of the pages before the current one, so "Previous" goes back without the API paging backwards. */
  const cursors = [];
  let cursor;
  let latest = 0;
  let left = false;

  async function load() {
    const mine = ++latest;
    try {
      const page = await api('/products', { query: { kind: kind.value, cursor, limit: PAGE_SIZE } });
      if (left || mine !== latest) return;
      replace(list, catalogueTable(page.items));
      list.dataset.loaded = `${kind.value}:${cursors.length}`;
      replace(pager,
        cursors.length > 0 && h('button', { type: 'button', onclick: () => { cursor = cursors.pop(); load(); } }, 'Previous page'),
        page.nextCursor && h('button', { type: 'button', onclick: () => { cursors.push(cursor); cursor = page.nextCursor; load(); } }, 'Next page'));
    } catch (err) {
      if (!left && mine === latest) replace(list, h('p', { className: 'error', role: 'alert' }, err.message));
    }
  }

  const fromStart = () => { cursors.length = 0; cursor = undefined; load(); };
  replace(main,
    h('h1', { tabindex: -1 }, 'Products'),
    h('div', { className: 'columns' },
      h('section', { className: 'card', 'aria-labelledby': 'products-title' },
        h('h2', { id: 'products-title' }, 'Catalogue'),
        h('form', { className: 'filters', 'aria-label': 'Products', onsubmit: (e) => { e.preventDefault(); fromStart(); } },
          h('label', { for: 'products-kind' }, 'Kind'), kind, h('button', { type: 'submit' }, 'Show')),
        h('form', { className: 'filters', 'aria-label': 'Open a product', onsubmit: (e) => { e.preventDefault(); location.hash = `#/products/${encodeURIComponent(sku.value.trim())}`; } },
          h('label', { for: 'products-open-sku' }, 'SKU'), sku, h('button', { type: 'submit' }, 'Open')),
        list, pager),
      hasRole(me, CATALOG_ROLES) && h('div', { className: 'stack' }, newProductForm(), promotionForm(null))));
  load();
  return () => { left = true; };
}

function promotionsTable(items, sku) {
  return dataTable({
    id: 'product-promotions', caption: 'Promotions that can price this product', items, rowKey: (p) => p.id, empty: 'No promotion covers this product.',
    columns: [['Promotion', (p) => p.id], ['Covers', (p) => (p.sku === sku ? 'this product' : 'every product')], ['Percent off', (p) => p.percentOff, num],
      ['From', (p) => p.validFrom], ['To', (p) => p.validTo], ['Status', (p) => badge(p.status, p.status === 'active' ? 'ok' : '')]],
  });
}

function backordersTable(items) {
  return dataTable({
    id: 'product-backorders', caption: 'Orders waiting for this product', items, rowKey: (b) => b.orderId, empty: 'No order is waiting for it.',
    columns: [['Order', (b) => recordLink('orders', b.orderId)], ['Customer', (b) => recordLink('customers', b.customerId)], ['Quantity', (b) => String(b.qty), num],
      ['Waiting since', (b) => formatTime(b.waitingSince)]],
  });
}

function stockFigures(p) {
  return h('dl', { id: 'product-stock' },
    h('dt', {}, 'On hand'), h('dd', { id: 'product-on-hand' }, String(p.stockOnHand)),
    h('dt', {}, 'Held for orders'), h('dd', { id: 'product-held' }, String(p.stockReserved)),
    h('dt', {}, 'Available'), h('dd', { id: 'product-available' }, String(p.stockAvailable)));
}

function editForm(p, onSaved) {
  return recordForm({
    id: 'product-edit', title: 'Name and list price', submit: 'Save changes',
    fields: [
      input('edit-name', 'Name', { required: true, maxlength: 200, value: p.name }),
      input('edit-price', 'List price', { required: true, ...MONEY, value: p.listPrice }),
    ],
    // Only what changed is sent, so the audit log records the change and nothing else.
    send: (v) => {
      const body = { ...(v['edit-name'] !== p.name ? { name: v['edit-name'] } : {}), ...(v['edit-price'].trim() !== p.listPrice ? { listPrice: v['edit-price'].trim() } : {}) };
      return api(path(p.sku), { method: 'PATCH', body });
    },
    done: (saved) => { announce(`Saved ${saved.sku}: ${saved.name}, list price ${saved.listPrice}.`); onSaved(); },
    note: 'A new list price prices the orders placed from now on; placed orders keep theirs.',
  });
}

// The restock is one UPDATE adding the quantity, so the stock before it is the answer less the quantity, exactly,
// even when the page's last read is older than another booking.
function restockForm(sku, onBooked) {
  return recordForm({
    id: 'product-restock', title: 'Book goods in', submit: 'Restock',
    fields: [input('restock-qty', 'Quantity received', { type: 'number', required: true, min: 1, step: 1 })],
    send: async (v) => {
      const qty = Number(v['restock-qty']);
      return { qty, after: await api(`${path(sku)}/restock`, { method: 'POST', body: { qty } }) };
    },
    done: ({ qty, after }, form) => {
      form.reset();
      const woken = after.wokenOrders.length ? `; woken: ${after.wokenOrders.join(', ')}` : '';
      announce(`Restocked ${after.sku}: on hand ${after.stockOnHand - qty} → ${after.stockOnHand}${woken}.`);
      onBooked(qty, after);
    },
    note: 'The orders waiting for this product are woken and try again to hold their goods.',
  });
}

/** What the last restock did: stock before and after, and the orders it woke. */
function restockResult(qty, after) {
  return h('section', { className: 'card', id: 'restock-result', 'aria-labelledby': 'restock-result-title' },
    h('h2', { id: 'restock-result-title' }, `Restocked: ${qty} received`),
    pairs([['On hand', `${after.stockOnHand - qty} → ${after.stockOnHand}`], ['Available', `${after.stockAvailable - qty} → ${after.stockAvailable}`],
      ['Orders woken', after.wokenOrders.length ? after.wokenOrders.map((id, i) => [i ? ', ' : '', recordLink('orders', id)]) : 'none']]));
}

const card = (id, title, ...content) => h('section', { className: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), content);

/** What the page shows of the product now; redrawn on every poll, unlike the forms beside it. */
function figures(p, promotions, backorders) {
  return [
    card('product-particulars', 'Particulars', pairs([['SKU', p.sku], ['Kind', p.kind], ['List price', h('span', { id: 'product-list-price' }, p.listPrice)],
      ['Status', words(p.status)], ['Created', formatTime(p.createdAt)]])),
    p.kind === 'goods' ? card('product-stock-card', 'Stock', stockFigures(p)) : null,
    card('product-promotions-card', `Promotions (${promotions.length})`, promotionsTable(promotions, p.sku)),
    p.kind === 'goods' ? card('product-backorders-card', `Backorders (${backorders.length})`, backordersTable(backorders)) : null,
  ];
}

export function productView({ me, main }, sku) {
  const heading = h('h1', { tabindex: -1 }, sku);
  const shown = h('div', { className: 'stack', id: 'product-figures' });
  const error = h('p', { className: 'error', role: 'alert' });
  const forms = h('div', { className: 'stack' });
  const result = h('div');
  /** The name and list price the forms were drawn with; a change (by this admin or another) redraws them. */
  let drawnFor = null;
  let left = false;

  // Stock moves while the page is open (orders hold and ship it), so it follows; forms are drawn once per
  // product version, never under the user's typing.
  async function load() {
    try {
      const p = await api(path(sku));
      const [promotions, backorders] = await Promise.all([
        api('/promotions', { query: { appliesTo: sku, limit: 200 } }),
        p.kind === 'goods' ? api(`${path(sku)}/backorders`) : [],
      ]);
      if (left) return;
      heading.textContent = `${p.name} (${p.sku})`;
      error.textContent = '';
      redraw(shown, [p, promotions.items, backorders], () => figures(p, promotions.items, backorders));
      const version = `${p.name}\n${p.listPrice}`;
      if (version !== drawnFor) drawForms(p);
      drawnFor = version;
    } catch (err) {
      if (!left) error.textContent = err.message;
    }
  }

  function drawForms(p) {
    replace(forms,
      p.kind === 'goods' && hasRole(me, RESTOCK_ROLES) ? [restockForm(p.sku, (qty, after) => { replace(result, restockResult(qty, after)); load(); }), result] : null,
      hasRole(me, CATALOG_ROLES) ? [editForm(p, load), promotionForm(p.sku, load)] : null);
  }

  replace(main, h('p', {}, h('a', { href: '#/products' }, 'All products')), heading, error, h('div', { className: 'columns' }, shown, forms));
  return poll(load, REFRESH_MS);
}
