// A group of checkboxes sent as a list (roles of a user, kinds of a webhook): a fieldset with its legend,
// so a screen reader names the group and each box.
import { h } from './dom.js';

/** `options` are values, or [value, label] pairs; `checked` the values ticked at first. */
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
