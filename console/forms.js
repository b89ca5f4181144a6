// One shape for the master-data forms (products, promotions, stock, customer prices): a titled <form>, its
// fields, one submit button that is off while the request runs, and the API's refusal in its own words.
import { field, h } from './dom.js';

/** The attributes of an amount input: the API's money, two decimals. */
export const MONEY = { inputmode: 'decimal', pattern: '\\s*\\d+\\.\\d{2}\\s*', title: 'an amount with two decimals, e.g. 129.00' };

/** A text input with its label; `attrs` go on the input (name, required, pattern…). */
export const input = (id, label, attrs = {}) => field(id, label, h('input', { id, name: id, ...attrs }));

/** A <select> with its label; options are [value, text] pairs. */
export const select = (id, label, options, attrs = {}) => field(id, label,
  h('select', { id, name: id, ...attrs }, options.map(([value, text]) => h('option', { value }, text))));

/**
 * `send(values)` calls the API with the form's values (by field name); `done(result, form)` shows what came back.
 * A `nested` form sits inside another card, under its heading. A refusal stays on the form, in the alert under it, so what was typed can be corrected.
 */
export function recordForm({ id, title, submit, fields, send, done, note, nested = false }) {
  const error = h('p', { className: 'error', role: 'alert', id: `${id}-error` });
  const button = h('button', { type: 'submit', className: 'primary' }, submit);
  const form = h('form', {
    className: nested ? '' : 'card', id, 'aria-labelledby': `${id}-title`,
    onsubmit: async (event) => {
      event.preventDefault();
      button.disabled = true;
      error.textContent = '';
      try {
        done(await send(Object.fromEntries(new FormData(form))), form);
      } catch (err) {
        error.textContent = err.message;
      } finally {
        button.disabled = false;
      }
    },
  },
  h(nested ? 'h3' : 'h2', { id: `${id}-title` }, title), fields, note && h('p', { className: 'muted' }, note), h('div', { className: 'buttons' }, button), error);
  return form;
}
