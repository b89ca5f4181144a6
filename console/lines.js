// Repeating rows in a form: a customer's contacts, an order's lines, a contract's prices and target
// quantities. Each row is a line of labelled inputs with its own Remove button; "Add" appends one.
import { api } from './api.js';
import { cents, h, money, replace } from './dom.js';

/**
 * `id` must be unique on the page (the inputs' ids derive from it). `columns` are { name, label, attrs } per
 * input; `decorate(row)` may add to a row (row.inputs by name, row.info an element at its end, row.element).
 * `rows()` gives each row's trimmed values, leaving out rows with nothing typed, so an added but unused line
 * sends nothing.
 */
export function rowsEditor({ id, legend, columns, addLabel, initial = [{}], decorate, onChange }) {
  const list = h('div', { className: 'rows', id: `${id}-rows` });
  const rows = [];
  let made = 0;
  const changed = () => onChange?.();

  function add(values = {}) {
    const n = ++made;
    const inputs = Object.fromEntries(columns.map((c) => [c.name, h('input', { id: `${id}-${n}-${c.name}`, name: c.name, value: values[c.name] ?? '', ...c.attrs })]));
    const row = { inputs, info: h('span', { className: 'muted line-info', 'aria-live': 'polite' }) };
    const remove = h('button', { type: 'button', className: 'link', onclick: () => {
      rows.splice(rows.indexOf(row), 1);
      row.element.remove();
      renumber();
      changed();
      list.querySelector('input')?.focus();
    } }, 'Remove');
    row.remove = remove;
    row.element = h('div', { className: 'line', 'data-line': '' },
      columns.map((c) => h('div', { className: 'field' }, h('label', { for: inputs[c.name].id }, c.label), inputs[c.name])), remove, row.info);
    for (const input of Object.values(inputs)) input.addEventListener('input', changed);
    rows.push(row);
    list.append(row.element);
    decorate?.(row);
    renumber();
    return row;
  }
  // Each Remove says which line it removes, to a screen reader as much as to the eye.
  function renumber() {
    rows.forEach((row, i) => row.remove.setAttribute('aria-label', `Remove line ${i + 1} (${legend})`));
  }

  for (const values of initial) add(values);
  const element = h('fieldset', { className: 'lines', id }, h('legend', {}, legend), list,
    h('button', { type: 'button', onclick: () => { add().element.querySelector('input').focus(); changed(); } }, addLabel));
  return {
    element,
    rows: () => rows.map((row) => Object.fromEntries(Object.entries(row.inputs).map(([name, input]) => [name, input.value.trim()])))
      .filter((values) => Object.values(values).some(Boolean)),
    lines: rows,
  };
}

const products = new Map();
/** A product by sku, asked once per tab (list prices change seldom, and the API prices again anyway). */
function product(sku) {
  if (!products.has(sku)) products.set(sku, api(`/products/${encodeURIComponent(sku)}`).catch((err) => { products.delete(sku); throw err; }));
  return products.get(sku);
}

/**
 * Lines of a sku and one number (a quantity or a unit price). The sku box suggests products as one types
 * (GET /products?q=), and each line says which product it names and its list price; with `quantity`, also
 * the line at list price, and `total` (an element) the sum: the list price marked as such, since the API
 * prices an order only when it takes it (customer and contract prices, promotions).
 */
export function skuLines({ id, legend, value, total }) {
  const suggestions = h('datalist', { id: `${id}-products` });
  const known = new Map();
  const quantity = value.name === 'qty';
  let latest = 0;

  async function suggest(text) {
    const mine = ++latest;
    if (!text) return;
    const page = await api('/products', { query: { q: text, limit: 8 } }).catch(() => null);
    if (!page || mine !== latest) return;
    replace(suggestions, page.items.map((p) => h('option', { value: p.sku }, `${p.name} · ${p.kind} · list ${p.listPrice}`)));
  }

  function describe(row) {
    const sku = row.inputs.sku.value.trim();
    const p = known.get(sku);
    if (!sku) replace(row.info);
    else if (!p) replace(row.info, 'looking up…');
    else if (p instanceof Error) replace(row.info, h('span', { className: 'error' }, p.message));
    else {
      const qty = Number(row.inputs[value.name].value);
      const amount = quantity && Number.isInteger(qty) && qty > 0 ? `, ${money(cents(p.listPrice) * qty)} for ${qty}` : '';
      replace(row.info, `${p.name} (${p.kind}): list price ${p.listPrice}${amount}`);
    }
  }

  function sum() {
    if (!total) return;
    let at = 0;
    let whole = true;
    let counted = 0;
    for (const row of editor.lines) {
      const sku = row.inputs.sku.value.trim();
      if (!sku && !row.inputs.qty.value) continue; // an empty line is not sent
      const p = known.get(sku);
      const qty = Number(row.inputs.qty.value);
      if (!p || p instanceof Error || !Number.isInteger(qty) || qty < 1) whole = false;
      else at += cents(p.listPrice) * qty;
      counted += 1;
    }
    replace(total, whole && counted > 0
      ? [h('strong', {}, money(at)), ' at list prices. The order is priced when it is taken: customer and contract prices and promotions can lower it.']
      : 'Enter a known product and a quantity on every line to see the total at list prices.');
  }

  async function lookUp(row) {
    const sku = row.inputs.sku.value.trim();
    if (sku && !known.has(sku)) {
      describe(row);
      known.set(sku, await product(sku).catch((err) => err));
    }
    describe(row);
    sum();
  }

  const editor = rowsEditor({
    id, legend, addLabel: 'Add line',
    columns: [
      { name: 'sku', label: 'SKU', attrs: { list: `${id}-products`, autocomplete: 'off', size: 16 } },
      { name: value.name, label: value.label, attrs: value.attrs },
    ],
    decorate: (row) => {
      row.inputs.sku.addEventListener('input', () => suggest(row.inputs.sku.value.trim()));
      row.inputs.sku.addEventListener('change', () => lookUp(row));
      row.inputs[value.name].addEventListener('input', () => { describe(row); sum(); });
    },
    onChange: sum,
  });
  editor.element.append(suggestions);
  sum();
  return editor;
}
