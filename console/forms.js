// The create forms' one behaviour: send what was typed, refuse a second submit while the first runs,
// and show a refusal in the API's own words.
import { h } from './dom.js';

/**
 * A form that sends once per thing entered: the button is disabled while the request runs, and the
 * refusal is shown in the API's own words.
 */
export function sendingForm({ id, title, submitLabel, body, send, className }) {
  const error = h('p', { className: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', className: 'primary' }, submitLabel);
  const form = h('form', {
    id, className, 'aria-labelledby': `${id}-title`,
    onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      try {
        await send(new FormData(form));
      } catch (err) {
        error.textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    },
  }, h('h2', { id: `${id}-title` }, title), body, h('div', { className: 'buttons' }, submit), error);
  return form;
}
