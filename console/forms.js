// One shape for the console's create and change forms (customers, orders, contract drafts, products, promotions,
// stock, customer prices): a titled <form>, its fields, one submit button that is off while the request runs (so a
// double click sends once), and the API's refusal in its own words.
import { field, h, submitting } from './dom.js';

/** The attributes of an amount input: the API's money, two decimals. */
export const MONEY = { inputmode: 'decimal', pattern: '\\s*\\d+\\.\\d{2}\\s*', title: 'an amount with two decimals, e.g. 129.00' };

/** A text input with its label; `attrs` go on the input (name, required, pattern…). */
export const input = (id, label, attrs = {}) => field(id, label, h('input', { id, name: id, ...attrs }));

/** A <select> with its label; options are [value, text] pairs. */
export const select = (id, label, options, attrs = {}) => field(id, label,
  h('select', { id, name: id, ...attrs }, options.map(([value, text]) => h('option', { value }, text))));

/**
 * `send(values, data)` calls the API with the form's values (by field name; `data` is the FormData, for fields that
 * repeat); `done(result, form)` shows what came back. A `nested` form sits inside another card, under its heading.
 * A refusal stays on the form, in the alert under it, so what was typed can be corrected.
 */
export function recordForm({ id, title, submit, fields, send, done = () => {}, note, nested = false, className = nested ? '' : 'card' }) {
  const error = h('p', { className: 'error', role: 'alert', id: `${id}-error` });
  const button = h('button', { type: 'submit', className: 'primary' }, submit);
  const form = h('form', {
    className, id, 'aria-labelledby': `${id}-title`,
    onsubmit: submitting(button, error, async () => {
      const data = new FormData(form);
      done(await send(Object.fromEntries(data), data), form);
    }),
  },
  h(nested ? 'h3' : 'h2', { id: `${id}-title` }, title), fields, note && h('p', { className: 'muted' }, note), h('div', { className: 'buttons' }, button), error);
  return form;
}

/** A fieldset with its legend, so a screen reader names the group and each box; `options` are values or [value, label]. */
export function checks({ id, name, legend, options, checked = [] }) {
  return h('fieldset', { className: 'checks', id },
    h('legend', {}, legend),
    options.map((option) => {
      const [value, label] = Array.isArray(option) ? option : [option, option];
      const box = h('input', { type: 'checkbox', id: `${id}-${value.replace(/\W/g, '_')}`, name, value, checked: checked.includes(value) });
      return h('span', {}, box, ' ', h('label', { for: box.id }, label));
    }));
}

/** The values ticked in a form's group `name` (roles of a user, kinds of a webhook). */
export const checkedValues = (form, name) => new FormData(form).getAll(name);
