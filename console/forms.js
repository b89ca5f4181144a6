// What the admin pages' forms share: a group of checkboxes sent as a list (roles of a user, kinds of a webhook),
// and a submit handler that shows a refusal in the API's own words.
import { h } from './dom.js';

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

/** The values ticked in a form's group `name`. */
export const checkedValues = (form, name) => new FormData(form).getAll(name);

/**
 * An onsubmit handler: `run(form)` with the submit button disabled meanwhile (no double send), a refusal shown
 * in `error` (a role=alert element) as the API worded it.
 */
export function submitting(error, send, run) {
  return async (event) => {
    event.preventDefault();
    send.disabled = true;
    error.textContent = '';
    try {
      await run(event.target);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      send.disabled = false;
    }
  };
}
