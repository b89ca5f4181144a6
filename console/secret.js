// A secret the API shows once (a user's API key, a webhook's signing secret): shown in a box with a copy
// button until the admin closes it. The page keeps it nowhere else, so closing the box or leaving the page loses it.
import { announce, h } from './dom.js';

/** Copies through the clipboard API; where the page may not use it (plain http, no permission), by selecting the field. */
async function copy(input) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand('copy');
  }
  announce('Copied to the clipboard.');
}

/** `title` names what the secret is for; `onClose` runs once the box is gone (e.g. to redraw the list). */
export function secretBox({ id, title, secret, note, onClose }) {
  const input = h('input', { id: `${id}-value`, className: 'secret', readonly: true, value: secret, spellcheck: 'false', autocomplete: 'off', size: 60 });
  const box = h('section', { className: 'card secret-box', id, role: 'dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-note` },
    h('h2', { id: `${id}-title`, tabindex: -1 }, title),
    h('p', { id: `${id}-note` }, note ?? 'Copy it now: it is shown only this once and cannot be read again.'),
    h('label', { for: input.id }, 'Secret'), input,
    h('div', { className: 'buttons' },
      h('button', { type: 'button', className: 'primary', onclick: () => copy(input) }, 'Copy'),
      h('button', { type: 'button', onclick: () => { box.remove(); onClose?.(); } }, 'Done, close')));
  queueMicrotask(() => box.querySelector('h2').focus());
  return box;
}
